// two copies on different media in different rooms. The rooms and media are the operator's words in the config;
// the same room written once «Серверная, каб. 101» and once «серверная, каб.101» (or the medium «NAS» and «nas») is one
// room (one medium), and both copies would burn in one fire. `backup run`, the jobs and `config check` must refuse it.
import { describe, expect, it } from 'vitest';
import { BackupConfigError, checkDestinations } from '../../src/backup/destinations.js';
import { ConfigError, parseConfigText } from '../../src/config/load.js';

const dest = (name: string, medium: string, room: string) => ({ name, medium, room, path: `/srv/${name}` });

const CONFIG = (a: { medium: string; room: string }, b: { medium: string; room: string }) => `
region: { id: r1, name: Регион }
platforms:
  - instance: asurso-a
    platform: asurso
    baseUrl: http://127.0.0.1:1
    auth: { kind: password, login: teacher, password: "x" }
schools:
  - id: s1
    name: Школа
    timeZone: Europe/Samara
    systemOfRecord: asurso-a
    platforms: [{ instance: asurso-a, schoolId: "1" }]
backup:
  destinations:
    - { name: a, medium: "${a.medium}", room: "${a.room}", path: /a }
    - { name: b, medium: "${b.medium}", room: "${b.room}", path: /b }
`;

function configProblems(text: string): string[] {
  try {
    parseConfigText(text, 'test.yaml', {});
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => p.message);
  }
  return [];
}

describe('R-33: one room or one medium written two ways', () => {
  it('the same room in another case or spacing is one room: refused', () => {
    expect(() => checkDestinations([dest('a', 'disk-a', 'Серверная, каб. 101'), dest('b', 'nas', 'серверная, каб.101')])).toThrow(BackupConfigError);
    expect(() => checkDestinations([dest('a', 'disk-a', 'архив 204'), dest('b', 'nas', ' Архив  204 ')])).toThrow(/different rooms/);
  });

  it('the same medium in another case is one medium: refused', () => {
    expect(() => checkDestinations([dest('a', 'NAS', 'серверная 101'), dest('b', 'nas', 'архив 204')])).toThrow(/different media/);
  });

  it('two rooms that differ in more than case and spacing pass', () => {
    expect(() => checkDestinations([dest('a', 'disk-a', 'серверная 101'), dest('b', 'nas', 'архив 204')])).not.toThrow();
  });

  it('config check says so first', () => {
    expect(configProblems(CONFIG({ medium: 'disk-a', room: 'Серверная 101' }, { medium: 'nas', room: 'серверная 101' }))).toEqual([expect.stringMatching(/different rooms/)]);
    expect(configProblems(CONFIG({ medium: 'NAS', room: 'серверная 101' }, { medium: 'nas', room: 'архив 204' }))).toEqual([expect.stringMatching(/different media/)]);
    expect(configProblems(CONFIG({ medium: 'disk-a', room: 'серверная 101' }, { medium: 'nas', room: 'архив 204' }))).toEqual([]);
  });
});
