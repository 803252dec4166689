// The journal-gateway command as a user runs it: generate → validate, bad input (the demo: demo.e2e.test.ts).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'jg-cli-'));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, LOG_PRETTY: '0', ...env }, maxBuffer: 64 * 2 ** 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('journal-gateway CLI', () => {
  const file = path.join(dir, 'school.ndjson');

  it('generate writes canonical NDJSON, one record a line, the same for the same seed', async () => {
    expect((await cli(['generate', '--seed', '7', '--pupils', '30', '--weeks', '1', '--out', file])).code).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    const entities = new Set(lines.map((l) => JSON.parse(l).entity));
    for (const e of ['organization', 'person', 'section', 'lesson', 'mark', 'attendance_record']) expect(entities).toContain(e);
    const again = await cli(['generate', '--seed', '7', '--pupils', '30', '--weeks', '1']);
    expect(again.stdout.trim()).toBe(readFileSync(file, 'utf8').trim());
  }, 120_000);

  it('an interrupted generate --out leaves no file behind: neither a cut-off one validate would accept nor its temporary', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'jg-cli-gen-'));
    const out = path.join(outDir, 'big.ndjson');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'generate', '--pupils', '3000', '--weeks', '30', '--out', out], { env: { ...process.env, LOG_PRETTY: '0' }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupted once writing has begun: the output directory holds a file with records in it.
    const started = Date.now();
    const written = () => readdirSync(outDir).some((f) => statSync(path.join(outDir, f)).size > 0);
    try {
      while (!written() && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 50));
      expect(written(), 'generate wrote nothing within 60 s').toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(readdirSync(outDir)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('generate --out on a full disk ends with one line naming the file, and leaves neither the file nor its temporary', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'jg-cli-gen-full-'));
    const out = path.join(outDir, 'school.ndjson');
    // A full disk is the process's file-size limit here (`ulimit -f`, EFBIG), as in report-out.test.ts: no root needed.
    const node = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'generate', '--pupils', '30', '--weeks', '1', '--out', out];
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile('/bin/sh', ['-c', 'ulimit -f 8 && exec "$@"', 'sh', ...node], { env: { ...process.env, LOG_PRETTY: '0' }, timeout: 60_000, killSignal: 'SIGKILL' },
        (err, _stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stderr }));
    });
    try {
      expect(r.code, `exit code (null = still running after 60 s); stderr: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/school\.ndjson not written .*EFBIG/);
      expect(r.stderr).not.toMatch(/\n\s+at |node:internal|Node\.js v\d|Unhandled 'error'/);
      expect(readdirSync(outDir), 'a cut-off file or its temporary was left behind').toEqual([]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a number option left empty (an unset shell variable: --seed "$SEED") is refused, not read as 0 or ignored', async () => {
    for (const args of [['--seed', ''], ['--weeks', ''], ['--pupils', '0x20']]) {
      const r = await cli(['generate', '--pupils', '3', ...args, '--out', path.join(dir, 'never.ndjson')]);
      expect(r.code, `generate ${args.join(' ')}: ${r.stderr}`).toBe(64);
      expect(r.stderr).toMatch(new RegExp(`${args[0]} must be an integer`));
    }
    expect(readdirSync(dir)).not.toContain('never.ndjson');
  }, 120_000);

  it('validate passes a generated school and fails a broken one, naming line, record, field and rule', async () => {
    const ok = await cli(['validate', file, '--now', '2025-09-10T12:00:00Z']);
    expect(ok.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const markLine = lines.findIndex((l) => JSON.parse(l).entity === 'mark' && JSON.parse(l).state === 'graded');
    const mark = JSON.parse(lines[markLine]);
    const broken = [...lines];
    broken[markLine] = JSON.stringify({ ...mark, raw: '6', base: 6 }); // not a ru5 mark
    const badSchema = lines.findIndex((l) => JSON.parse(l).entity === 'attendance_record');
    const att = JSON.parse(lines[badSchema]);
    broken[badSchema] = JSON.stringify({ ...att, kind: 'present' });
    const badFile = path.join(dir, 'broken.ndjson');
    // A line that is not JSON, holding a name: the parser's message would quote it, the gateway's does not.
    writeFileSync(badFile, `${broken.join('\n')}\n{"familyName":Синтетова Ан\n`);
    const bad = await cli(['validate', badFile, '--now', '2025-09-10T12:00:00Z']);
    expect(bad.code).toBe(1);
    const out = bad.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toContainEqual(expect.objectContaining({ ruleId: 'R-08', severity: 'block', entity: 'mark', id: mark.id }));
    expect(out).toContainEqual(expect.objectContaining({ ruleId: 'schema', line: badSchema + 1, entity: 'attendance_record', id: att.id, field: 'kind' }));
    expect(out).toContainEqual(expect.objectContaining({ ruleId: 'schema', line: broken.length + 1, message: expect.stringMatching(/^not JSON( \(at character \d+\))?$/) }));
    expect(bad.stdout + bad.stderr).not.toContain('Синтетова');
    // Messages name ids and rules, never a person's name.
    const surname = JSON.parse(lines.find((l) => JSON.parse(l).entity === 'person')!).familyName;
    expect(bad.stdout).not.toContain(surname);
  }, 120_000);

  it('--help says which platform instances sync and push run without --instance (not only the system of record)', async () => {
    const instanceHelp = async (args: string[]) => (await cli([...args, '--help'])).stdout.split('--instance <name>')[1].split('\n  --')[0].replace(/\s+/g, ' ');
    expect(await instanceHelp(['sync', 'roster'])).toContain('default: every instance the school has an id on, its system of record first');
    expect(await instanceHelp(['sync', 'journal'])).toContain("default: the school's system of record, then each of its push targets");
    expect(await instanceHelp(['push'])).toContain('default: every push target');
  }, 60_000);

  it('config check points at the path and line of a problem', async () => {
    const cfg = path.join(dir, 'bad.yaml');
    writeFileSync(cfg, 'region: { id: r, name: R }\nschools:\n  - id: s\n    name: S\n    timeZone: Europe/Nowhere\n    systemOfRecord: x\n    platforms: [{ instance: x, schoolId: "1" }]\n');
    const r = await cli(['config', 'check', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:5: schools[0].timeZone: not an IANA time zone`);
    expect(r.stderr).toContain('schools[0].systemOfRecord: no platform instance "x"');
  });
});
