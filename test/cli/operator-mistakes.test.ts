// An operator's mistakes on the command line (a wrong school, a reversed window, an unreachable Redis or
// PostgreSQL…): each is one clear line naming what was wrong and a non-zero exit, promptly — never a hang that
// keeps a cron slot (and the embedded store) busy, never a stack trace.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-cli-mistakes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A config whose platforms and Redis cannot be reached (nothing here may need them to fail). */
function config(extra: { redisPort?: number; databaseUrl?: string } = {}): string {
  const file = path.join(dir, `gateway-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `region: { id: t, name: T, timeZone: Europe/Samara }
store:
  dataDir: ${JSON.stringify(path.join(dir, 'data'))}
  databaseUrl: ${JSON.stringify(extra.databaseUrl ?? '')}
redis: { url: "redis://127.0.0.1:${extra.redisPort ?? 1}" }
platforms:
  - { instance: asurso-a, platform: asurso, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: a, password: b }, options: { loginSchoolId: 1 } }
  - { instance: dnevnik-a, platform: dnevnik, baseUrl: "http://127.0.0.1:1", auth: { kind: partner_oauth, clientId: a, clientSecret: b, refreshToken: c } }
  - { instance: eljur-a, platform: eljur, baseUrl: "http://127.0.0.1:1", auth: { kind: credentials, login: a, password: b }, options: { devkey: k, vendor: v } }
schools:
  - id: s1
    name: School 1
    timeZone: Europe/Samara
    systemOfRecord: asurso-a
    platforms: [{ instance: asurso-a, schoolId: "1" }, { instance: dnevnik-a, schoolId: "2" }, { instance: eljur-a, schoolId: "v" }]
    pushTargets: [dnevnik-a]
`);
  return file;
}

/** Runs the CLI; a run still going after 30 s is killed and reported as a hang (code null). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, LOG_PRETTY: '0', REDIS_URL: '' }, timeout: 30_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** Exit codes (docs/operations.md): 64 the command is wrong, 69 a service does not answer, 1 anything else. */
const USAGE = 64;
const UNAVAILABLE = 69;
const oneClearLine = (r: { code: number | null; stderr: string }, message: RegExp, code = USAGE) => {
  expect(r.code, `exit code (null = still running after 30 s); stderr: ${r.stderr}`).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal|Node\.js v\d/); // no stack trace
};

describe('operator mistakes on the command line', () => {
  it('migrate: an unknown school or instance, and the same instance on both sides, end at once', async () => {
    const cfg = config();
    oneClearLine(await cli(['migrate', '--config', cfg, '--school', 'nope', '--from', 'asurso-a', '--to', 'dnevnik-a']), /no school "nope" in the configuration \(known: s1\)/);
    oneClearLine(await cli(['migrate', '--config', cfg, '--school', 's1', '--from', 'asurso-a', '--to', 'nope']), /no platform instance "nope"/);
    oneClearLine(await cli(['migrate', '--config', cfg, '--school', 's1', '--from', 'asurso-a', '--to', 'asurso-a', '--dry-run']), /--from and --to are the same instance \(asurso-a\)/);
    oneClearLine(await cli(['migrate', '--config', cfg, '--school', 's1', '--from', 'asurso-a', '--to', 'dnevnik-a', '--since', '2026-05-01', '--until', '2025-09-01']), /--since 2026-05-01 is after --until 2025-09-01/);
  }, 120_000);

  it('sync: a day in another format, or a reversed window, is refused before anything is read', async () => {
    const cfg = config();
    oneClearLine(await cli(['sync', 'journal', '--config', cfg, '--school', 's1', '--from', '01.09.2025', '--to', '30.09.2025']), /--from must be a day as YYYY-MM-DD \(e\.g\. 2025-09-01\), got "01\.09\.2025"/);
    oneClearLine(await cli(['sync', 'journal', '--config', cfg, '--school', 's1', '--from', '2025-09-30', '--to', '2025-09-01']), /--from 2025-09-30 is after --to 2025-09-01: the window would be empty/);
    oneClearLine(await cli(['sync', 'journal', '--config', cfg, '--school', 's1', '--from', '2025-02-30', '--to', '2025-03-01']), /--from must be a day as YYYY-MM-DD/);
    oneClearLine(await cli(['sync', 'roster', '--config', cfg, '--school', 's1', '--accept-deletes', '10%']), /--accept-deletes takes the number of missing records a refused run reported \(a whole number\), not "10%"/);
    oneClearLine(await cli(['review', 'unlink-subject', '--config', cfg, '--instance', 'dnevnik-a', '--school', 's1']), /review unlink-subject needs --instance <platform instance> --school <school id> --title/);
    oneClearLine(await cli(['review', 'unlink-subject', '--config', cfg, '--instance', 'nope', '--school', 's1', '--title', 'Алгебра']), /no platform instance "nope"/);
    // commander's own mistakes (an unknown option) end with the same usage code
    expect((await cli(['sync', 'roster', '--config', cfg, '--school', 's1', '--frobnicate'])).code).toBe(USAGE);
  }, 120_000);

  it('unlock: a reversed period, a section of no school, a role R-24 does not know are refused in one line, nothing stored', async () => {
    const cfg = config();
    const order = ['unlock', '--config', cfg, '--school', 's1', '--order', '7-ОД', '--order-date', '2025-10-01', '--issued-by', '0199aaaa-0000-7000-8000-0000000000d1',
      '--section', '0199aaaa-0000-7000-8000-0000000000e1', '--valid-through', '2025-10-31', '--reason', 'исправление'];
    oneClearLine(await cli([...order, '--from', '2025-09-20', '--to', '2025-09-10']), /--from 2025-09-20 is after --to 2025-09-10/);
    oneClearLine(await cli([...order, '--from', '2025-09-10', '--to', '2025-09-20']), /no section 0199aaaa-0000-7000-8000-0000000000e1 in this school/);
    oneClearLine(await cli([...order, '--from', '2025-09-10', '--to', '2025-09-20', '--issuer-role', 'teacher']), /--issuer-role teacher: director or deputy_academic \(R-24\)/);
    oneClearLine(await cli(order.filter((a, i) => a !== '--section' && order[i - 1] !== '--section')), /journal-gateway: unlock needs --section, --from, --to\n/);
    oneClearLine(await cli(['unlock', '--config', cfg, '--school', 's1', '--revoke', '--order', '7-ОД']), /unlock --revoke needs --order-date/);
    oneClearLine(await cli(['unlock', '--config', cfg, '--school', 's1', '--revoke', '--list']), /--list and --revoke are two different actions/);
    oneClearLine(await cli(['unlock', '--config', cfg, '--school', 's1', '--revoke', '--order', '7-ОД', '--order-date', '2025-10-01']), /no unlock order 7-ОД of 2025-10-01 is recorded for this school \(none is recorded\)/);
    const listed = await cli(['unlock', '--config', cfg, '--school', 's1', '--list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe('');
    expect(listed.stderr).toMatch(/0 unlock order\(s\) recorded for school s1/);
  }, 120_000);

  it('a platform instance its connector refuses stops every command that reads the config with exit 2, as config check does, before anything runs', async () => {
    // `credential` for `credentials`: the gateway schema lets any auth kind through, ЭлЖур's connector does not. sync
    // used to run the first platform's roster, then print a raw ZodError and exit 1.
    const cfg = config();
    const data = path.join(dir, 'typo-data');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('kind: credentials', 'kind: credential').replace(JSON.stringify(path.join(dir, 'data')), JSON.stringify(data)));
    const commands = [
      ['sync', 'roster', '--school', 's1'], ['sync', 'journal', '--school', 's1'], ['push', '--school', 's1', '--dry-run'],
      ['migrate', '--school', 's1', '--from', 'asurso-a', '--to', 'dnevnik-a', '--dry-run'], ['review'], ['unlock', '--school', 's1', '--list'],
      ['report', 'attendance', '--school', 's1', '--period', '2025-09'], ['backup', 'list'], ['serve'],
    ];
    for (const args of commands) {
      const r = await cli([...args, '--config', cfg]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`${cfg}`);
      expect(r.stderr).toMatch(/platforms\[2\]\.auth\.kind/);
      expect(r.stderr).not.toMatch(/ZodError|\n\s+at /);
    }
    expect(existsSync(data), 'a command opened the store').toBe(false);
  }, 180_000);

  it('validate, map, emulate and eljur-package: a malformed instant, an unknown platform, a missing file or a directory is a usage mistake naming it', async () => {
    const ndjson = path.join(dir, 'empty.ndjson');
    writeFileSync(ndjson, '');
    oneClearLine(await cli(['validate', ndjson, '--now', 'yesterday']), /--now must be an instant as ISO 8601 .*got "yesterday"/);
    oneClearLine(await cli(['map', 'epoz', '--list']), /unknown platform "epoz" \(known: asurso, epos, dnevnik, eljur\)/);
    oneClearLine(await cli(['emulate', 'epoz']), /unknown platform "epoz" \(known: asurso, epos, dnevnik, eljur\)/);
    const missing = path.join(dir, 'missing.json');
    oneClearLine(await cli(['map', 'epos', 'core/api/student_profiles', missing]), new RegExp(`${missing}: no such file`));
    oneClearLine(await cli(['map', 'epos', 'core/api/student_profiles', dir]), new RegExp(`${dir} is a directory, not a payload`));
    oneClearLine(await cli(['validate', missing]), new RegExp(`${missing}: no such file \\(expected a canonical NDJSON file\\)`));
    oneClearLine(await cli(['validate', dir]), new RegExp(`${dir} is a directory, not a canonical NDJSON file`));
    oneClearLine(await cli(['eljur-package', missing, '--out', path.join(dir, 'package')]), new RegExp(`${missing}: no such file`));
    // An empty export is not a valid school: it said "0 records checked" and exited 0.
    writeFileSync(ndjson, '\n\n');
    const empty = await cli(['validate', ndjson, '--now', '2025-09-10T12:00:00Z']);
    expect(empty.code, empty.stderr).toBe(1);
    expect(empty.stderr).toContain(`${ndjson}: no records to check`);
  }, 180_000);

  it('eljur-package: a bad window is refused before anything is written, and a malformed record names its file and line', async () => {
    const ndjson = path.join(dir, 'eljur-school.ndjson');
    const gen = await cli(['generate', '--pupils', '5', '--weeks', '1', '--out', ndjson]);
    expect(gen.code, gen.stderr).toBe(0);
    const out = path.join(dir, 'eljur-package');
    // A reversed window or a month 13 used to write a package of 0 lessons and 0 marks and exit 0.
    oneClearLine(await cli(['eljur-package', ndjson, '--out', out, '--from', '2025-13-01', '--to', '2025-09-30']), /--from must be a day as YYYY-MM-DD \(e\.g\. 2025-09-01\), got "2025-13-01"/);
    oneClearLine(await cli(['eljur-package', ndjson, '--out', out, '--from', '2025-09-30', '--to', '2025-09-01']), /--from 2025-09-30 is after --to 2025-09-01/);
    expect(existsSync(out), 'a package was written for a refused command').toBe(false);
    // A record that is JSON but not a canonical record: which file and line, as for a line that is not JSON.
    const lines = readFileSync(ndjson, 'utf8').split('\n');
    lines[2] = lines[2]!.replace(/^\{/, '{"bogus":1,');
    const broken = path.join(dir, 'eljur-broken.ndjson');
    writeFileSync(broken, lines.join('\n'));
    oneClearLine(await cli(['eljur-package', broken, '--out', out]), new RegExp(`${broken}:3: .*Unrecognized key: "bogus"`), 1);
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('review links of an id that is no pupil says so, as review allow does, instead of "0 guardian link(s)" and exit 0', async () => {
    const id = '0199aaaa-0000-7000-8000-0000000000f1';
    oneClearLine(await cli(['review', 'links', id, '--config', config()]), new RegExp(`no pupil with canonical person id ${id} in the store`));
  }, 60_000);

  it('an id given on the command line that names nothing is a usage mistake (64) in every command, as an unknown school is', async () => {
    // These said so, but exited 1 ("the run found a problem: alert") where `--school nope` exits 64 ("fix the command").
    const cfg = config();
    const id = '0199aaaa-0000-7000-8000-0000000000f2';
    oneClearLine(await cli(['review', 'confirm', id, '--config', cfg]), new RegExp(`no child-link candidate ${id}`));
    oneClearLine(await cli(['review', 'reject', id, '--config', cfg]), new RegExp(`no child-link candidate ${id}`));
    oneClearLine(await cli(['review', 'merge', id, '--config', cfg]), new RegExp(`no person match candidate ${id}`));
    oneClearLine(await cli(['review', 'separate', id, '--config', cfg]), new RegExp(`no person match candidate ${id}`));
    oneClearLine(await cli(['review', 'keep', id, '--config', cfg]), new RegExp(`no conflict ${id}`));
    oneClearLine(await cli(['review', 'take', id, '--config', cfg]), new RegExp(`no conflict ${id}`));
    oneClearLine(await cli(['review', 'allow', id, '--guardian', id, '--config', cfg]), new RegExp(`no pupil with canonical person id ${id} in the store`));
    // backup verify and prune check signatures: a key to check them with.
    const key = path.join(dir, 'backup-ed25519.pem');
    writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const withBackup = config();
    writeFileSync(withBackup, `${readFileSync(withBackup, 'utf8')}backup:
  allowOneDevice: true
  signingKeyFile: ${JSON.stringify(key)}
  destinations:
    - { name: a, medium: disk, room: "101", path: ${JSON.stringify(path.join(dir, 'backup-a'))} }
    - { name: b, medium: nas, room: "204", path: ${JSON.stringify(path.join(dir, 'backup-b'))} }
`);
    oneClearLine(await cli(['backup', 'verify', 'nightly-backup-nope', '--config', withBackup]), /no archive_snapshot nightly-backup-nope in the store \(see: journal-gateway backup list\)/);
    oneClearLine(await cli(['backup', 'prune', 'nightly-backup-nope', '--config', withBackup]), /no archive_snapshot nightly-backup-nope in the store/);
    // Already 64, kept so: a school or an instance the configuration does not list.
    oneClearLine(await cli(['report', 'attendance', '--config', cfg, '--school', 'nope', '--period', '2025-09']), /unknown school "nope"/);
    oneClearLine(await cli(['unlock', '--config', cfg, '--school', 'nope', '--list']), /no school "nope" in the configuration \(known: s1\)/);
    oneClearLine(await cli(['sync', 'roster', '--config', cfg, '--school', 'nope']), /no school "nope" in the configuration/);
    oneClearLine(await cli(['sync', 'roster', '--config', cfg, '--school', 's1', '--instance', 'nope']), /no platform instance "nope" in the configuration/);
    oneClearLine(await cli(['backup', 'list', '--config', cfg, '--organization', id]), new RegExp(`--organization ${id}: no organization with that id in the store`));
  }, 300_000);

  it('a platform that stays down through the retries is an outage (69: try later), not a mistake', async () => {
    const r = await cli(['sync', 'roster', '--config', config(), '--school', 's1', '--instance', 'asurso-a']);
    oneClearLine(r, /asurso\/asurso-a GET \/webapi\/logindata: network .*ECONNREFUSED/, UNAVAILABLE);
  }, 120_000);

  it('schedules and worker: a Redis that does not answer is named, not waited for silently', async () => {
    const cfg = config({ redisPort: 6390 });
    oneClearLine(await cli(['schedules', '--config', cfg]), /Redis at redis:\/\/127\.0\.0\.1:6390 does not answer \(ECONNREFUSED\)/, UNAVAILABLE);
    oneClearLine(await cli(['worker', '--config', cfg, '--no-schedules']), /Redis at redis:\/\/127\.0\.0\.1:6390 does not answer/, UNAVAILABLE);
    oneClearLine(await cli(['worker', '--config', cfg, '--no-schedules', '--concurrency', 'abc']), /--concurrency must be an integer ≥ 1, got "abc"/);
  }, 120_000);

  it('a PostgreSQL store that does not answer is named as the store, without the URL\'s password', async () => {
    const r = await cli(['backup', 'list', '--config', config({ databaseUrl: 'postgres://gw:s3cret@127.0.0.1:5499/jg' })]);
    oneClearLine(r, /the store's PostgreSQL at 127\.0\.0\.1:5499 does not answer \(ECONNREFUSED\)/, UNAVAILABLE);
    expect(r.stderr).not.toContain('s3cret');
  }, 60_000);

  it('backup run for a school the store does not hold yet says so, instead of filing it under another school', async () => {
    oneClearLine(await cli(['backup', 'run', '--config', config(), '--school', 's1']), /--school s1: the store holds no organization for this school yet .*sync roster --school s1/, 1);
  }, 60_000);

  it('generate into a folder that does not exist: one line, no unhandled stream error', async () => {
    const out = path.join(dir, 'missing', 'x.ndjson');
    oneClearLine(await cli(['generate', '--pupils', '5', '--weeks', '1', '--out', out]), /ENOENT: no such file or directory/, 1);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('config check refuses a store or Redis URL of the wrong kind', async () => {
    const file = path.join(dir, 'urls.yaml');
    writeFileSync(file, 'region: { id: t, name: T, timeZone: Europe/Samara }\nstore: { databaseUrl: not-a-url }\nredis: { url: "http://cache:6379" }\n');
    const r = await cli(['config', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/store\.databaseUrl: a PostgreSQL URL/);
    expect(r.stderr).toMatch(/redis\.url: a Redis URL/);
  }, 60_000);

  it('a store or Redis URL that cannot be parsed (a # or % in the password) is a configuration problem naming the field, never the password', async () => {
    const file = path.join(dir, 'unparsable-urls.yaml');
    writeFileSync(file, `region: { id: t, name: T, timeZone: Europe/Samara }
store: { databaseUrl: "postgres://jg:Pa#ss9@127.0.0.1:5432/jg" }
redis: { url: "redis://:Re%zzdis@127.0.0.1:6379" }
`);
    const check = await cli(['config', 'check', file]);
    expect(check.code, check.stderr).toBe(2);
    expect(check.stderr).toMatch(/store\.databaseUrl: .*percent-encoded/);
    expect(check.stderr).toMatch(/redis\.url: .*percent-encoded/);
    expect(check.stderr).not.toMatch(/Pa#ss9|Re%zzdis/);
    // Every command checks the file as config check does: before, `Invalid URL` / `URI malformed` and exit 1.
    const run = await cli(['review', '--config', file]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/store\.databaseUrl/);
    expect(run.stderr).not.toMatch(/Invalid URL|URI malformed|Pa#ss9|Re%zzdis/);
  }, 60_000);

  it('config check refuses a destination whose directory is missing (an unmounted share), even for a trial', async () => {
    const file = path.join(dir, 'not-mounted.yaml');
    const nas = path.join(dir, 'mnt-nas', 'journal');
    mkdirSync(path.join(dir, 'mnt-nas'), { recursive: true }); // the mount point, with nothing mounted on it
    mkdirSync(path.join(dir, 'backup-a'), { recursive: true });
    writeFileSync(file, `region: { id: t, name: T, timeZone: Europe/Samara }\nbackup:\n  allowOneDevice: true\n  destinations:
    - { name: primary, medium: disk-a, room: "101", path: ${JSON.stringify(path.join(dir, 'backup-a'))} }
    - { name: nas, medium: nas, room: "204", path: ${JSON.stringify(nas)} }
`);
    const r = await cli(['config', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`backup destination nas (medium nas, 204): its directory ${nas} does not exist`);
    expect(r.stderr).toContain(`create the directory once on the mounted medium (mkdir ${nas})`);
    expect(existsSync(nas)).toBe(false);
  }, 60_000);

  it('config check refuses backup destinations on one device (an unmounted share), unless allowOneDevice says it is a trial', async () => {
    const file = path.join(dir, 'one-device.yaml');
    // Made on the system disk by mistake, while the share was not mounted: only the device check finds it.
    mkdirSync(path.join(dir, 'mnt-nas', 'journal'), { recursive: true });
    mkdirSync(path.join(dir, 'backup-a'), { recursive: true });
    const destinations = `  destinations:
    - { name: primary, medium: disk-a, room: "101", path: ${JSON.stringify(path.join(dir, 'backup-a'))} }
    - { name: nas, medium: nas, room: "204", path: ${JSON.stringify(path.join(dir, 'mnt-nas', 'journal'))} }
`;
    writeFileSync(file, `region: { id: t, name: T, timeZone: Europe/Samara }\nbackup:\n${destinations}`);
    const r = await cli(['config', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('R-33: backup destinations primary');
    expect(r.stderr).toContain('are on one device');
    writeFileSync(file, `region: { id: t, name: T, timeZone: Europe/Samara }\nbackup:\n  allowOneDevice: true\n${destinations}`);
    expect((await cli(['config', 'check', file])).code).toBe(0);
  }, 60_000);

  it('config check warns that web.trustProxy: true lets a client pick its address, and refuses a hop count Fastify ignores', async () => {
    const file = path.join(dir, 'trust-proxy.yaml');
    const withSetting = (v: string) => writeFileSync(file, `region: { id: t, name: T, timeZone: Europe/Samara }\nweb: { trustProxy: ${v} }\n`);
    withSetting('true');
    const trustsAll = await cli(['config', 'check', file]);
    expect(trustsAll.code).toBe(0);
    expect(trustsAll.stderr).toMatch(/warning: .*web\.trustProxy: true believes every X-Forwarded-For entry/);
    withSetting('1');
    const hops = await cli(['config', 'check', file]);
    expect(hops.code).toBe(2);
    expect(hops.stderr).toMatch(/web\.trustProxy: a hop count is not supported/);
    withSetting('"10.0.0.0/33"');
    expect((await cli(['config', 'check', file])).stderr).toMatch(/web\.trustProxy: "10\.0\.0\.0\/33" is not an IP address/);
    withSetting('[127.0.0.1, "fd00::/8"]');
    const proxies = await cli(['config', 'check', file]);
    expect(proxies.code).toBe(0);
    expect(proxies.stderr).toBe('');
  }, 60_000);
});
