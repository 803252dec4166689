// `journal-gateway emulate <p> --faults <json>`: JSON that is not an object (an array, a number, a string, null) used
// to start the emulator with no fault injected — or a broken one — and the operator saw a clean run. It is a usage
// mistake naming --faults and the shape it takes, and nothing is started.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs the CLI; an emulator that started waits for a signal, so a run still going after 20 s is killed (code null). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, LOG_PRETTY: '0' }, timeout: 20_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('emulate --faults', () => {
  it.each(['[]', '5', '"x"', 'null'])('%s is refused (exit 64) naming --faults and the object it takes; no emulator starts', async (faults) => {
    const r = await cli(['emulate', 'asurso', '--pupils', '5', '--faults', faults]);
    expect(r.code, `exit code (null = the emulator started and ran); stderr: ${r.stderr}`).toBe(64);
    expect(r.stderr).toMatch(/--faults must be a JSON object/);
    expect(r.stderr).toContain(`got ${faults}`);
    expect(r.stdout, 'the emulator printed its start-up line').toBe('');
  }, 60_000);
});
