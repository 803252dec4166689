// `journal-gateway report` as an operator runs it against the embedded store of a configuration.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { openStore } from '../../src/store/index.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'jg-report-'));
const cfg = path.join(dir, 'gateway.yaml');
const withSchools = path.join(dir, 'with-schools.yaml');
let school: SyntheticSchool;
let schoolId: string;

async function cli(args: string[]) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, DATABASE_URL: '', LOG_PRETTY: '0' }, maxBuffer: 64 * 2 ** 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  school = generateSchool({ seed: 5, pupils: 11, weeks: 3 });
  schoolId = school.schools()[0].id;
  writeFileSync(cfg, `region: { id: test, name: Тест }\nstore: { dataDir: "${path.join(dir, 'data')}" }\n`);
  // A configuration that names schools: "synced" has been brought in by roster sync (its organization carries the
  // canonical id roster sync gives it), "pending" has not.
  writeFileSync(withSchools, [
    'region: { id: test, name: Тест }',
    `store: { dataDir: "${path.join(dir, 'data')}" }`,
    'platforms: [{ instance: asurso-test, platform: asurso, baseUrl: "http://127.0.0.1:9", auth: { kind: password, login: report, password: report }, options: { schoolId: 1 } }]',
    'schools:',
    ...['synced', 'pending'].map((id) => `  - { id: ${id}, name: Школа, timeZone: Europe/Samara, systemOfRecord: asurso-test, platforms: [{ instance: asurso-test, schoolId: "${id}" }] }`),
  ].join('\n'));
  const synced = { ...school.schools()[0], id: schoolCanonicalId('synced') };
  const store = await openStore({ databaseUrl: null, dataDir: path.join(dir, 'data', 'store') });
  try {
    await store.upsertMany([...school.records, synced], { runId: 'report-cli' });
  } finally {
    await store.close();
  }
}, 180_000);

describe('journal-gateway report', () => {
  it('writes the monthly attendance sheet as CSV with a BOM; its totals line matches the September records', async () => {
    const r = await cli(['report', 'attendance', '--config', cfg, '--school', schoolId, '--period', '2025-09', '--format', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\uFEFFКласс,Ученик,Месяц,Пропущено уроков,УП,НП,Б,Причина не указана,Опозданий\r\n')).toBe(true);
    const lines = r.stdout.trimEnd().split('\r\n');
    const absent = school.all('attendance_record').filter((a) => a.kind === 'absent' && school.get('lesson', a.lessonId)!.date.startsWith('2025-09'));
    expect(absent.length).toBeGreaterThan(0);
    expect(lines.at(-1)!.split(',').slice(0, 4)).toEqual(['Итого', '', '', String(absent.length)]);
  }, 120_000);

  it('writes JSON and printable HTML to a file with --out, naming the period by session title', async () => {
    const json = await cli(['report', 'journal-filling', '--config', cfg, '--school', schoolId, '--period', '1 четверть', '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ kind: 'journal-filling', rule: 'R-39', period: { kind: 'session', title: '1 четверть' } });
    const held = school.all('lesson').filter((l) => l.lessonStatus === 'held').length;
    expect(report.tables[0].totals.held).toBe(held);
    const out = path.join(dir, 'filling.html');
    const html = await cli(['report', 'journal-filling', '--config', cfg, '--school', schoolId, '--period', '1 четверть', '--format', 'html', '--out', out]);
    expect(html.code).toBe(0);
    expect(html.stdout).toBe('');
    expect(html.stderr).toMatch(/Заполнение электронного журнала: 1 table\(s\), \d+ row\(s\)/);
    expect(readFileSync(out, 'utf8')).toContain('<th scope="col">Доля с темой</th>');
  }, 120_000);

  it('--class prints one class: a printout page per guardian of that class who refused digital access', async () => {
    const link = school.all('guardian_link').find((g) => g.digitalAccess === 'refused')!;
    const classId = school.all('enrollment').find((e) => e.personId === link.studentId && school.get('homeroom_class', e.sectionId))!.sectionId;
    const title = school.get('homeroom_class', classId)!.title;
    const r = await cli(['report', 'family-printout', '--config', cfg, '--school', schoolId, '--period', '2025-09-19', '--class', title, '--format', 'html']);
    expect(r.code).toBe(0);
    const refusedInClass = school.all('guardian_link').filter((g) => g.digitalAccess === 'refused'
      && school.all('enrollment').some((e) => e.personId === g.studentId && e.sectionId === classId));
    expect(r.stdout.match(/<section class="page">/g)).toHaveLength(refusedInClass.length);
    expect(r.stdout).toContain(`класс</h1>`);
    expect(r.stdout).toContain('неделя 2025-09-13 – 2025-09-19');
  }, 120_000);

  it('--school takes a school id of the configuration, and says when roster sync has not brought it in', async () => {
    const ok = await cli(['report', 'attendance', '--config', withSchools, '--school', 'synced', '--period', '2025-09', '--format', 'json']);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout).school.id).toBe(schoolCanonicalId('synced'));
    const pending = await cli(['report', 'attendance', '--config', withSchools, '--school', 'pending', '--period', '2025-09']);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toContain(`school "pending" of the configuration (canonical id ${schoolCanonicalId('pending')}) is not in the store yet: run \`journal-gateway sync roster --config ${withSchools} --school pending\` first`);
  }, 120_000);

  it('the progress report counts R-11 by the school\'s own table of minimum marks from the configuration', async () => {
    // The school brought in under the canonical id roster sync gives configuration id "ruled" (a store of its own).
    const ruledDir = path.join(dir, 'ruled');
    const ruledId = schoolCanonicalId('ruled');
    const store = await openStore({ databaseUrl: null, dataDir: path.join(ruledDir, 'store') });
    try {
      await store.upsertMany(JSON.parse(JSON.stringify(school.records).replaceAll(schoolId, ruledId)), { runId: 'report-cli' });
    } finally {
      await store.close();
    }
    const ruled = path.join(dir, 'ruled.yaml');
    writeFileSync(ruled, readFileSync(withSchools, 'utf8').replaceAll(path.join(dir, 'data'), ruledDir).replace(/\n {2}- \{ id: synced.*\n/, '\n')
      .replace('id: pending', 'id: ruled').replace('schoolId: "pending" }] }', 'schoolId: "ruled" }], minMarks: [{ weeklyHoursUpTo: 2, marks: 5 }, { marks: 7 }] }'));
    for (const ref of ['ruled', ruledId]) {
      const r = await cli(['report', 'progress', '--config', ruled, '--school', ref, '--period', '1 четверть', '--format', 'json']);
      expect(r.stderr).toBe('');
      const rows = JSON.parse(r.stdout).tables[0].rows as { minMarks: number }[];
      expect(rows.length).toBeGreaterThan(0);
      // Sections of 1–2 hours a week need 5 here, heavier ones 7 (the default table: 3 and 4).
      expect(new Set(rows.map((x) => x.minMarks))).toEqual(new Set([5, 7]));
    }
  }, 180_000);

  it('refuses an unknown kind, format and school with a message that names them', async () => {
    const kind = await cli(['report', 'attendence', '--config', cfg, '--school', schoolId, '--period', '2025-09']);
    expect(kind.code).toBe(64); // a usage mistake (docs/operations.md "Exit codes")
    expect(kind.stderr).toContain('unknown report kind "attendence"; known: journal-filling, attendance, progress');
    const format = await cli(['report', 'attendance', '--config', cfg, '--school', schoolId, '--period', '2025-09', '--format', 'xlsx']);
    expect(format.stderr).toContain('unknown --format "xlsx"; known: csv, html, json');
    const separator = await cli(['report', 'attendance', '--config', cfg, '--school', schoolId, '--period', '2025-09', '--format', 'csv', '--separator', '|']);
    expect(separator.stderr).toContain('unknown --separator "|"; known: ",", ";"');
    const unknown = await cli(['report', 'attendance', '--config', cfg, '--school', 'school-42', '--period', '2025-09']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unknown school "school-42": not a school organization id in the store nor a school id in the configuration (it lists no schools); schools in the store: ');
    expect(unknown.stderr).toContain(schoolId);
    const period = await cli(['report', 'progress', '--config', cfg, '--school', schoolId, '--period', '2025-09']);
    expect(period.stderr).toContain('report progress does not take a month period ("2025-09")');
  }, 180_000);
});
