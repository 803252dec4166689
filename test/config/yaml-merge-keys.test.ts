// A region's config lists hundreds of schools that share schedules and windows: YAML anchors and merge keys
// (`<<: *school-defaults`) are how operators write that once. Before, `<<` was read as a key of its own and every school
// written so was refused with «Unrecognized key "<<"»; and an alias inside its own anchor ended in a stack trace.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseConfigText } from '../../src/config/load.js';

const env = { ASURSO_LOGIN: 'l', ASURSO_PASSWORD: 'p', DNEVNIK_CLIENT_ID: 'c', DNEVNIK_CLIENT_SECRET: 's', DNEVNIK_REFRESH_TOKEN: 'r' };
const example = readFileSync('config/example-region.yaml', 'utf8');

describe('YAML merge keys in the configuration', () => {
  it('a school written as `<<: *anchor` plus its own keys gets the anchored school\'s settings', () => {
    const text = example
      .replace('  - id: samara-school-1\n', '  - &school-1\n    id: samara-school-1\n')
      .replace('\nsync:\n', [
        '',
        '  - <<: *school-1',
        '    id: samara-school-2',
        '    name: МБОУ «Школа № 2» г.о. Самара',
        '    platforms:',
        '      - { instance: asurso-samara, schoolId: "1235" }',
        '      - { instance: dnevnik-main, schoolId: "1000000000124" }',
        '',
        'sync:',
        '',
      ].join('\n'));
    const cfg = parseConfigText(text, 'region.yaml', env);
    const [first, second] = cfg.schools;
    expect(second.id).toBe('samara-school-2');
    expect(second.schedules).toEqual(first.schedules);
    expect(second.systemOfRecord).toBe('asurso-samara');
    expect(second.platforms.map((p) => p.schoolId)).toEqual(['1235', '1000000000124']);
    expect(first.platforms.map((p) => p.schoolId)).toEqual(['1234', '1000000000123']);
  });

  it('a region of 600 schools, each written with the merge key', () => {
    const schools = Array.from({ length: 600 }, (_, i) => [
      `  - <<: *school-1`,
      `    id: school-${i + 2}`,
      `    platforms:`,
      `      - { instance: asurso-samara, schoolId: "${2000 + i}" }`,
      `      - { instance: dnevnik-main, schoolId: "${3000 + i}" }`,
    ].join('\n')).join('\n');
    const text = example.replace('  - id: samara-school-1\n', '  - &school-1\n    id: samara-school-1\n').replace('\nsync:\n', `\n${schools}\n\nsync:\n`);
    const cfg = parseConfigText(text, 'region.yaml', env);
    expect(cfg.schools).toHaveLength(601);
    expect(cfg.schools[600].schedules).toEqual(cfg.schools[0].schedules);
  });

  it('an alias inside its own anchor is a configuration error naming the file, not a stack trace', () => {
    const text = example.replace('sync:\n  deleteThreshold: 0.1\n', 'sync: &loop\n  deleteThreshold: 0.1\n  again: [*loop]\n');
    let error: unknown;
    try {
      parseConfigText(text, 'region.yaml', env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toContain('region.yaml');
  });
});
