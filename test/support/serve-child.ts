// `journal-gateway serve` in a child process on a config written for the test, with a fake ESIA certificate and the
// test signer: the start-up a deployment goes through (config check, discovery, cookies), not a server built in-process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateFakeEsiaCertificate } from '../../src/auth/fake-esia/index.js';

export interface ServeChild {
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): void;
}

/**
 * Starts serve on the config `yaml(dir, certFile)` returns and waits for «diary listening» (60 s). `dir` is the test's
 * own temporary directory (removed by `stop`).
 */
export async function startServe(yaml: (dir: string, certFile: string) => string): Promise<ServeChild> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-cli-serve-'));
  const cert = await generateFakeEsiaCertificate();
  const certFile = path.join(dir, 'esia.cert.pem');
  writeFileSync(certFile, cert.certPem);
  const file = path.join(dir, 'gateway.yaml');
  writeFileSync(file, yaml(dir, certFile));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', file], {
    env: { ...process.env, LOG_PRETTY: '0', REDIS_URL: '', JG_ALLOW_TEST_SIGNER: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  const stop = () => {
    if (child.pid && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (!out.includes('diary listening')) {
    if (child.exitCode !== null) { stop(); throw new Error(`serve exited ${child.exitCode}: ${out}`); }
    if (Date.now() > deadline) { stop(); throw new Error(`serve did not start in 60 s: ${out}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { output: () => out, stop };
}
