// A one-off `sync` stopped with Ctrl-C or SIGTERM ends its platform session before the process ends, as every run
// does at its end. Before, the signal ended the process at once and the session stayed open: on АСУ РСО the next run
// of the same account then meets «Под вашим логином работает кто-то другой» (platforms.md §1.2).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAsursoEmulator } from '../../src/emulators/asurso/index.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startEposEmulator } from '../../src/emulators/epos/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { asursoInstance, eposInstance, gatewayYaml, type InstanceYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-interrupted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const school = generateSchool({ seed: 17, pupils: 40, weeks: 1 });

async function interrupt(emu: RunningEmulator, instance: InstanceYaml, live: () => number, signal: 'SIGINT' | 'SIGTERM') {
  const config = path.join(dir, `${signal}.yaml`);
  writeFileSync(config, gatewayYaml({ instances: [instance], names: [], schools: [{ id: 's1', sor: 'a', platforms: [{ instance: 'a', schoolId: instance.schoolId }] }] }));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sync', 'roster', '--config', config, '--school', 's1'],
    { env: { ...process.env, LOG_PRETTY: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => { stderr += String(d); });
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  try {
    await waitFor('a live session on the platform', () => live() > 0 || proc.exitCode !== null, 60_000, 20);
    await new Promise((r) => setTimeout(r, 200)); // mid-read
    expect(proc.exitCode, `the run ended before the signal: ${stderr}`).toBeNull();
    proc.kill(signal);
    const code = await exit;
    expect(code, stderr).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(stderr).toMatch(new RegExp(`interrupted \\(${signal}\\): ending 1 platform session\\(s\\) first`));
    expect(live()).toBe(0);
  } finally {
    proc.kill('SIGKILL');
    await emu.close();
  }
}

describe('a one-off run interrupted by a signal logs out first', () => {
  it('АСУ РСО, Ctrl-C (SIGINT): exit 130, no live session left', async () => {
    // Each request takes a while, so the signal lands in the middle of the read.
    const emu = await startAsursoEmulator({ dataset: school, faults: { latencyMs: 40 } });
    await interrupt(emu, asursoInstance('a', emu, 500), () => emu.liveSessions(), 'SIGINT');
  }, 90_000);

  it('ЭПОС, SIGTERM: exit 143, the session deleted', async () => {
    const emu = await startEposEmulator({ dataset: school, faults: { latencyMs: 40 } });
    await interrupt(emu, eposInstance('a', emu, 500), () => emu.sessionCount(), 'SIGTERM');
  }, 90_000);
});
