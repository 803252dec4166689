import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCheckedConfig, rateLimitOf } from '../../src/config/check-platforms.js';
import { ConfigError, loadConfigFile, parseConfigText } from '../../src/config/load.js';
import { minMarksTable } from '../../src/config/min-marks.js';

const VALID = `
region: { id: r1, name: Регион }
platforms:
  - instance: asurso-a
    platform: asurso
    baseUrl: http://127.0.0.1:1
    auth: { kind: password, login: teacher, password: "\${TEST_PASSWORD}" }
schools:
  - id: s1
    name: Школа
    timeZone: Europe/Samara
    systemOfRecord: asurso-a
    platforms: [{ instance: asurso-a, schoolId: "1" }]
`;

function problemsOf(text: string, env: NodeJS.ProcessEnv = { TEST_PASSWORD: 'x' }) {
  try {
    parseConfigText(text, 'test.yaml', env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  return [];
}

describe('configuration', () => {
  it('accepts a valid file, substitutes ${VAR} and applies defaults', () => {
    const cfg = parseConfigText(VALID, 'test.yaml', { TEST_PASSWORD: 'secret' });
    expect(cfg.platforms[0].auth).toEqual({ kind: 'password', login: 'teacher', password: 'secret' });
    // Not set: the platform's default budget (АСУ РСО 5/s, 2 in flight), test/config/platform-rate-limits.test.ts.
    expect(rateLimitOf(cfg.platforms[0])).toEqual({ requestsPerSecond: 5, concurrency: 2 });
    expect(cfg.sync.deleteThreshold).toBe(0.1);
  });

  it('names the path and line of an unset environment variable, never its would-be value', () => {
    const problems = problemsOf(VALID, {});
    expect(problems).toEqual([
      { file: 'test.yaml', path: 'platforms[0].auth.password', line: 7, message: 'environment variable TEST_PASSWORD is not set' },
    ]);
  });

  it('a variable that is set but empty is called empty, not "not set": the operator who checks finds it set', () => {
    const problems = problemsOf(VALID, { TEST_PASSWORD: '' });
    expect(problems).toEqual([
      { file: 'test.yaml', path: 'platforms[0].auth.password', line: 7, message: 'environment variable TEST_PASSWORD is set but empty' },
    ]);
  });

  it('points at the exact path of a wrong value', () => {
    const problems = problemsOf(VALID.replace('Europe/Samara', 'Mars/Olympus'));
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([['schools[0].timeZone', 11, 'not an IANA time zone']]);
  });

  it('reads a school\'s R-11 table of minimum marks by weekly hours; the last band without a bound covers any heavier load', () => {
    const withTable = (table: string) => VALID.replace('    platforms: [{ instance: asurso-a, schoolId: "1" }]', `    platforms: [{ instance: asurso-a, schoolId: "1" }]\n    minMarks: ${table}`);
    const cfg = parseConfigText(withTable('[{ weeklyHoursUpTo: 1, marks: 3 }, { weeklyHoursUpTo: 3, marks: 4 }, { marks: 5 }]'), 'test.yaml', { TEST_PASSWORD: 'x' });
    expect(minMarksTable(cfg.schools[0].minMarks)).toEqual([
      { maxWeeklyHours: 1, minMarks: 3 }, { maxWeeklyHours: 3, minMarks: 4 }, { maxWeeklyHours: Number.POSITIVE_INFINITY, minMarks: 5 },
    ]);
    expect(parseConfigText(VALID, 'test.yaml', { TEST_PASSWORD: 'x' }).schools[0].minMarks).toBeUndefined();
    expect(minMarksTable(undefined)).toBeUndefined();
    // Bounds out of order, a band without a bound before the last, a share of a mark: each named at its path.
    expect(problemsOf(withTable('[{ weeklyHoursUpTo: 3, marks: 4 }, { weeklyHoursUpTo: 2, marks: 3 }]')).map((p) => [p.path, p.message]))
      .toEqual([['schools[0].minMarks[1].weeklyHoursUpTo', 'bands go from the lightest load up: 2 is not above the band before (3)']]);
    expect(problemsOf(withTable('[{ marks: 3 }, { weeklyHoursUpTo: 4, marks: 4 }]')).map((p) => [p.path, p.message]))
      .toEqual([['schools[0].minMarks[0].weeklyHoursUpTo', 'only the last band may leave out weeklyHoursUpTo (it covers any heavier load)']]);
    expect(problemsOf(withTable('[{ weeklyHoursUpTo: 2, marks: 2.5 }]')).map((p) => p.path)).toEqual(['schools[0].minMarks[0].marks']);
    expect(problemsOf(withTable('[]')).map((p) => p.path)).toEqual(['schools[0].minMarks']);
  });

  it('refuses a school whose system of record is not a configured instance', () => {
    const problems = problemsOf(VALID.replace('systemOfRecord: asurso-a', 'systemOfRecord: epos-x'));
    expect(problems[0].path).toBe('schools[0].systemOfRecord');
    expect(problems[0].message).toContain('epos-x');
  });

  it('refuses a schedule with a value out of range, at its path: it passed the check and then stopped the worker', () => {
    const problems = problemsOf(VALID.replace('    platforms: [{ instance: asurso-a, schoolId: "1" }]', '    platforms: [{ instance: asurso-a, schoolId: "1" }]\n    schedules: { rosterSync: "0 25 * * *", journalSync: "*/30 7-20 * * 1-6" }'));
    expect(problems.map((p) => p.path)).toEqual(['schools[0].schedules.rosterSync']);
    expect(problems[0].message).toMatch(/^not a valid cron expression: .*25/);
  });

  it('refuses a schedule that names no real day (31 April, 31 June): BullMQ left it out without an error, or kept the old one', () => {
    const problems = problemsOf(VALID.replace('    platforms: [{ instance: asurso-a, schoolId: "1" }]', '    platforms: [{ instance: asurso-a, schoolId: "1" }]\n    schedules: { journalSync: "0 3 31 6,9 *", rosterSync: "0 0 29 2 *" }'));
    expect(problems.map((p) => [p.path, p.message])).toEqual([['schools[0].schedules.journalSync', 'the cron expression "0 3 31 6,9 *" never fires (no such day in any year?)']]);
  });

  it('refuses two schools with one id: the second was never synced and its schedules replaced the first', () => {
    const second = VALID.split('schools:\n')[1].replace('schoolId: "1"', 'schoolId: "2"');
    const problems = problemsOf(`${VALID}${second}`);
    expect(problems.map((p) => [p.path, p.message])).toEqual([['schools[1].id', 'duplicate school "s1"']]);
    const lookAlike = problemsOf(`${VALID.replace('  - id: s1', '  - id: "a:b"')}${second.replace('  - id: s1', '  - id: a-b')}`);
    expect(lookAlike.map((p) => p.path)).toEqual(['schools[1].id']);
    expect(lookAlike[0].message).toContain('name the same job schedules');
  });

  it('what a worker and `schedules` start with is checked by the connectors too, as `config check` does', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-config-')), 'gateway.yaml');
    writeFileSync(file, VALID.replace('TEST_PASSWORD', 'JG_TEST_UNUSED_PASSWORD').replace('platform: asurso', 'platform: asursoo'));
    process.env.JG_TEST_UNUSED_PASSWORD = 'x';
    try {
      expect(() => loadCheckedConfig(file)).toThrow(ConfigError);
      expect(() => loadCheckedConfig(file)).toThrow(/platforms\[0\]\.platform.*unknown platform "asursoo"/s);
    } finally {
      delete process.env.JG_TEST_UNUSED_PASSWORD;
    }
  });

  it('ЭлЖур can be a school\'s system of record: its roster read brings the classes, sections and year its journal is placed on', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-config-')), 'gateway.yaml');
    // The АСУ РСО instance with its login form's school, which a checked config wants (asurso/declaration.ts).
    const text = `${VALID.split('schools:')[0].replace('password: "${TEST_PASSWORD}" }\n', 'password: "${TEST_PASSWORD}" }\n    options: { schoolId: 1 }\n')}  - instance: eljur-a
    platform: eljur
    baseUrl: http://127.0.0.1:2
    auth: { kind: credentials, login: teacher, password: "\${TEST_PASSWORD}" }
    options: { vendor: v, devkey: "\${TEST_PASSWORD}" }
schools:${VALID.split('schools:')[1].replace('systemOfRecord: asurso-a', 'systemOfRecord: eljur-a').replace('platforms: [{ instance: asurso-a, schoolId: "1" }]', 'platforms: [{ instance: asurso-a, schoolId: "1" }, { instance: eljur-a, schoolId: "1" }]')}`;
    writeFileSync(file, text);
    // Refused before (notASystemOfRecord): its roster read brought pupils only, so its whole journal was quarantined.
    // The roster read now reads the structure from the diary pages (docs/platforms/eljur.md).
    expect(loadCheckedConfig(file, { TEST_PASSWORD: 'x' }).schools[0].systemOfRecord).toBe('eljur-a');
    writeFileSync(file, text.replace('systemOfRecord: eljur-a', 'systemOfRecord: asurso-a'));
    expect(loadCheckedConfig(file, { TEST_PASSWORD: 'x' }).schools[0].systemOfRecord).toBe('asurso-a');
  });

  it('a platform instance its connector refuses is reported with its line, in one pass with the gateway schema\'s problems', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-config-')), 'gateway.yaml');
    writeFileSync(file, VALID.replace('kind: password', 'kind: pasword').replace('Europe/Samara', 'Mars/Olympus'));
    try {
      loadCheckedConfig(file, { TEST_PASSWORD: 'x' });
      expect.unreachable('the config was accepted');
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => [p.path, p.line])).toEqual([['schools[0].timeZone', 11], ['platforms[0].auth.kind', 7]]);
      expect((e as ConfigError).message).toContain(`${file}:7: platforms[0].auth.kind: `);
    }
  });

  it('a misspelt platform option or auth setting is refused at its line, not silently ignored', () => {
    // `timezone` for `timeZone` left ЭПОС's dates in the default zone; `refresh_token` for `refreshToken` passed the
    // check and every run then stopped at the login. Named, never their values.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-config-')), 'gateway.yaml');
    writeFileSync(file, `region: { id: r1, name: Регион }
platforms:
  - { instance: epos-a, platform: epos, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: a, password: b }, options: { timezone: Asia/Yekaterinburg } }
  - instance: dnevnik-a
    platform: dnevnik
    baseUrl: "http://127.0.0.1:1"
    auth: { kind: partner_oauth, clientId: a, clientSecret: b, refresh_token: "\${RT}" }
`);
    try {
      loadCheckedConfig(file, { RT: 'sekret-refresh' });
      expect.unreachable('the config was accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems.map((p) => [p.path, p.line])).toEqual([['platforms[0].options.timezone', 3], ['platforms[1].auth.refresh_token', 7]]);
      expect(problems[0].message).toMatch(/unknown .*"timezone".*timeZone/);
      expect((e as ConfigError).message).not.toContain('sekret-refresh');
    }
  });

  it('reports a YAML syntax error with its line', () => {
    const problems = problemsOf('region: { id: r1\nname: x');
    expect(problems[0].message).toMatch(/^YAML syntax/);
    expect(problems[0].line).toBeGreaterThan(0);
  });

  it('one unquoted ${VAR} inside a flow map is one problem with its line and the fix, not a page of follow-on errors', () => {
    const problems = problemsOf(VALID.replace('password: "\${TEST_PASSWORD}"', 'password: ${TEST_PASSWORD}'));
    expect(problems).toHaveLength(1);
    expect(problems[0].line).toBe(7);
    expect(problems[0].message).toMatch(/^YAML syntax: .* — a \$\{VARIABLE\} inside \{ … \} must be quoted: "\$\{VARIABLE\}" \(a number setting accepts it quoted too\)/);
  });

  it('a number setting can come from "${VAR}" (YAML wants it quoted inside { … }); a digits-only secret or school id stays a string', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-config-')), 'gateway.yaml');
    writeFileSync(file, VALID
      .replace('    auth: {', '    options: { loginSchoolId: "${SCID}" }\n    rateLimit: { requestsPerSecond: "${RPS:-0.5}" }\n    auth: {')
      .replace('schoolId: "1" }]', 'schoolId: "${SCID}" }]\n    journalWindowDays: "${DAYS}"'));
    const cfg = loadCheckedConfig(file, { TEST_PASSWORD: '12345', SCID: '7', DAYS: '21' });
    expect(cfg.platforms[0].options).toEqual({ loginSchoolId: 7 });
    expect(cfg.platforms[0].rateLimit.requestsPerSecond).toBe(0.5);
    expect(cfg.schools[0].journalWindowDays).toBe(21);
    expect(cfg.schools[0].platforms[0].schoolId).toBe('7');
    expect(cfg.platforms[0].auth).toMatchObject({ password: '12345' });
    // Not a number once substituted, or not substituted at all: the schema's own message.
    expect(problemsOf(VALID.replace('schoolId: "1" }]', 'schoolId: "1" }]\n    journalWindowDays: "${DAYS}"'), { TEST_PASSWORD: 'x', DAYS: 'two' }).map((p) => p.path)).toEqual(['schools[0].journalWindowDays']);
    expect(problemsOf(VALID.replace('schoolId: "1" }]', 'schoolId: "1" }]\n    journalWindowDays: "21"')).map((p) => p.path)).toEqual(['schools[0].journalWindowDays']);
  });

  const withTargets = (targets: string, platforms = '[{ instance: asurso-a, schoolId: "1" }]') => VALID
    .replace('platforms:\n  - instance: asurso-a', 'platforms:\n  - { instance: epos-b, platform: epos, baseUrl: "http://127.0.0.1:2", auth: { kind: password, login: t, password: p } }\n  - instance: asurso-a')
    .replace('    platforms: [{ instance: asurso-a, schoolId: "1" }]', `    platforms: ${platforms}\n    pushTargets: [${targets}]`);
  it('refuses the system of record as its own push target: the push would rewrite its journal from the store\'s copy', () => {
    const problems = problemsOf(withTargets('asurso-a'));
    expect(problems.map((p) => [p.path, p.message])).toEqual([['schools[0].pushTargets[0]', '"asurso-a" is the school\'s systemOfRecord: grade push writes from it, never into it']]);
  });
  it('refuses a push target the school has no id on (the push stopped half-way every night)', () => {
    const problems = problemsOf(withTargets('epos-b'));
    expect(problems.map((p) => [p.path, p.message])).toEqual([['schools[0].pushTargets[0]', 'the school has no id on "epos-b": add { instance: epos-b, schoolId: … } to its platforms']]);
    expect(problemsOf(withTargets('epos-b', '[{ instance: asurso-a, schoolId: "1" }, { instance: epos-b, schoolId: "7" }]'))).toEqual([]);
  });

  it('R-33: refuses backup destinations on one medium (backup run would refuse them at night)', () => {
    const text = `${VALID}\nbackup:\n  destinations:\n    - { name: a, medium: disk, room: "101", path: /a }\n    - { name: b, medium: disk, room: "204", path: /b }\n`;
    expect(problemsOf(text).map((p) => [p.path, p.message])).toEqual([['backup.destinations', expect.stringMatching(/different media/)]]);
  });

  it('R-33: refuses backup destinations that share one room', () => {
    const text = `${VALID}\nbackup:\n  destinations:\n    - { name: a, medium: disk, room: "101", path: /a }\n    - { name: b, medium: nas, room: "101", path: /b }\n`;
    expect(problemsOf(text).map((p) => p.path)).toEqual(['backup.destinations']);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadConfigFile('/nonexistent/gw.yaml')).toThrow(/^config file not found: \/nonexistent\/gw.yaml: give --config FILE/);
  });

  it('the shipped example and demo configurations are valid', () => {
    expect(() => loadConfigFile('config/demo.yaml', {})).not.toThrow();
    const env = { ASURSO_LOGIN: 'a', ASURSO_PASSWORD: 'b', DNEVNIK_CLIENT_ID: 'c', DNEVNIK_CLIENT_SECRET: 'd', DNEVNIK_REFRESH_TOKEN: 'e' };
    expect(loadConfigFile('config/example-region.yaml', env).schools[0].pushTargets).toEqual(['dnevnik-main']);
  });
});
