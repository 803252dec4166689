// `journal-gateway report` without --config: an operator who forgot it got the demo's store (config/demo.yaml
// relative to where the command ran) and its data. Like every other command on the store, it must say that --config
// is missing (exit 64) and open nothing.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-report-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Absolute paths: the command runs in another directory, where `--import tsx` would not resolve.
  const node = [process.execPath, '--import', pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href, path.resolve('src/cli/main.ts'), ...args];
  return new Promise((resolve) => {
    execFile(node[0]!, node.slice(1), { cwd, env: { ...process.env, LOG_PRETTY: '0', REDIS_URL: '', DATABASE_URL: '' }, timeout: 60_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('report without --config', () => {
  it('is a usage error naming --config, and the demo\'s store in the working directory is not opened', async () => {
    // The working directory of a checkout: its config/demo.yaml, whose store is the demo's.
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config', 'demo.yaml'), 'region: { id: demo-region, name: Demo, timeZone: Europe/Samara }\nstore: { dataDir: .data/demo }\n');
    const r = await cli(['report', 'attendance', '--school', 's1', '--period', '2025-09'], dir);
    expect(r.code, r.stderr).toBe(64);
    expect(r.stderr).toMatch(/--config/);
    expect(r.stdout).toBe('');
    expect(existsSync(path.join(dir, '.data', 'demo')), 'the demo\'s store was opened').toBe(false);
  }, 90_000);
});
