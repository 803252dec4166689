// `npm run demo` (issue 8): the four-platform demo on real Redis and the embedded store. At a small size it
// exits 0 with a full reconciliation table; when a target loses a write after the push, the read-back finds
// it and the demo fails.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runDemo } from '../../src/cli/demo/run-demo.js';
import { createLogger } from '../../src/infra/logger.js';

const exec = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'jg-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the four-platform demo', () => {
  it('`journal-gateway demo --pupils 12` exits 0 and prints the reconciliation table of all four platforms and the report paths', async () => {
    const cfg = path.join(dir, 'demo.yaml');
    writeFileSync(cfg, `region: { id: demo, name: Демо }\nstore: { dataDir: "${path.join(dir, 'ok')}" }\n`);
    const r = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo', '--config', cfg, '--pupils', '12', '--weeks', '1'], {
      env: { ...process.env, LOG_PRETTY: '0', DATABASE_URL: '', REDIS_URL: inject('redisUrl') }, maxBuffer: 64 * 2 ** 20,
    });
    // exec rejects on a non-zero exit: reaching here is exit 0.
    const rows = r.stdout.split('\n').filter((l) => /^(dnevnik|asurso|epos|eljur)\s+(person|mark|attendance_record)\s/.test(l));
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      const [, , expected, present, missing, duplicated, different] = row.trim().split(/\s+/);
      expect(Number(expected)).toBeGreaterThan(0);
      expect({ row: row.slice(0, 30), present, missing, duplicated, different }).toEqual({ row: row.slice(0, 30), present: expected, missing: '0', duplicated: '0', different: '0' });
    }
    expect(r.stdout).toMatch(/verified \(SHA-256 of every file, Ed25519 signature\)/);
    expect(r.stdout).toMatch(/\nnothing lost — /);
    const report = JSON.parse(readFileSync(path.join(dir, 'ok', 'reports', 'demo-reconciliation.json'), 'utf8'));
    expect(report).toMatchObject({ ok: true, migrationOk: true, backupVerified: true });
    for (const line of r.stdout.slice(r.stdout.indexOf('reports:')).split('\n').slice(1).filter((l) => l.startsWith('  /'))) expect(existsSync(line.trim())).toBe(true);
  }, 300_000);

  it('a target that loses a pushed mark: the read-back shows it missing and the demo is not ok', async () => {
    let printed = '';
    const result = await runDemo({
      seed: 2, pupils: 12, weeks: 1, dataDir: path.join(dir, 'lost'), redis: { url: inject('redisUrl'), origin: 'env', stop: async () => {} },
      logger: createLogger({ level: 'silent', pretty: false }), out: { write: (s: string) => { printed += s; return true; } } as unknown as NodeJS.WritableStream,
    }, {
      // ЭПОС.Школа drops one mark it had accepted (what a target losing a write looks like to the gateway).
      afterPush: (region) => {
        const marks = (region.emulators.epos as unknown as { world: { marks: Map<number, unknown> } }).world.marks;
        marks.delete(marks.keys().next().value!);
      },
    });
    expect(result.ok).toBe(false);
    expect(result.rows.find((r) => r.platform === 'epos' && r.entity === 'mark')).toMatchObject({ missing: 1, duplicated: 0 });
    expect(result.rows.filter((r) => r.platform !== 'epos').every((r) => r.missing === 0 && r.duplicated === 0)).toBe(true);
    expect(printed).toMatch(/LOST, DUPLICATED OR CHANGED: epos mark missing 1/);
  }, 300_000);
});
