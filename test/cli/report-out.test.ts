// `report --out FILE` from a cron job overwrites last night's report. A disk that fills up mid-write must leave that
// report as it was: writeFileSync truncated it first, so the operator found half a report (and no error in it) where a
// good one had been. A full disk is the process's file-size limit here (RLIMIT_FSIZE: `ulimit -f`, EFBIG), which needs
// no root; the store is PostgreSQL so that nothing but the report is written to disk.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { dropSchema, openStore } from '../../src/store/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-cli-report-out-'));
const pg = inject('postgresUrl');
const schema = `jg_test_report_out_${Math.random().toString(36).slice(2, 10)}`;
const cfg = path.join(dir, 'gateway.yaml');
let schoolId: string;

beforeAll(async () => {
  if (!pg) return;
  const school = generateSchool({ seed: 7, pupils: 11, weeks: 3 });
  schoolId = school.schools()[0].id;
  writeFileSync(cfg, `region: { id: test, name: Тест }\nstore: { databaseUrl: ${JSON.stringify(pg)}, schema: ${schema} }\n`);
  const store = await openStore({ databaseUrl: pg, schema });
  try {
    await store.upsertMany(school.records, { runId: 'report-out' });
  } finally {
    await store.close();
  }
}, 180_000);

afterAll(async () => {
  if (pg) await dropSchema(pg, schema);
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI, with files limited to `maxBlocks` (the shell's `ulimit -f`: blocks of 512 or 1024 bytes, by shell). */
function cli(args: string[], maxBlocks?: number): Promise<{ code: number | null; stderr: string }> {
  const node = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args];
  const [cmd, ...argv] = maxBlocks === undefined ? node : ['/bin/sh', '-c', `ulimit -f ${maxBlocks} && exec "$@"`, 'sh', ...node];
  return new Promise((resolve) => {
    execFile(cmd!, argv, { env: { ...process.env, DATABASE_URL: '', LOG_PRETTY: '0', REDIS_URL: '' }, timeout: 60_000, killSignal: 'SIGKILL' },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stderr }));
  });
}

describe('report --out', () => {
  it('a write that fails half-way (the disk full) leaves the previous report whole, and no temporary file', async (ctx) => {
    if (!pg) return ctx.skip();
    const out = path.join(dir, 'attendance.html');
    const args = ['report', 'attendance', '--config', cfg, '--school', schoolId, '--period', '2025-09', '--format', 'html', '--out', out];
    const good = await cli(args);
    expect(good.code, good.stderr).toBe(0);
    const before = readFileSync(out, 'utf8');
    // Larger than the limit below by far whatever the shell's block size: the write is cut off half-way.
    expect(statSync(out).size).toBeGreaterThan(2 * 1024);

    const full = await cli(args, 1);
    expect(full.code, `exit code (null = still running after 60 s); stderr: ${full.stderr}`).toBe(1);
    expect(readFileSync(out, 'utf8'), 'the previous report was overwritten with part of the new one').toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
    expect(full.stderr).toMatch(new RegExp(`${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} not written .*EFBIG`));
    expect(full.stderr).not.toMatch(/\n\s+at |node:internal|Node\.js v\d/);
  }, 180_000);
});
