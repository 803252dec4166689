// `journal-gateway staff hash-password` cancelled with Ctrl-C at its prompt ends as a cancelled command does: exit 130
// (128 + SIGINT), one short «cancelled» line, no hash, no error. On a terminal the prompt reads in raw mode, so Ctrl-C
// arrives as a byte, not as SIGINT: it used to end with exit 1 and «journal-gateway: cancelled» as an error.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const CLI = `${process.execPath} --import tsx src/cli/main.ts staff hash-password`;
// util-linux `script` gives the command a terminal (no pty module in the dependencies); -e passes its exit code on.
const hasScript = spawnSync('script', ['--version']).status === 0;

interface Ended { code: number | null; stdout: string; stderr: string }

/** Starts the command, waits for `ready` in its output, then `interrupt`s it. */
function cancelAtPrompt(cmd: string, args: string[], ready: (out: string) => boolean, interrupt: (child: ReturnType<typeof spawn>) => void): Promise<Ended> {
  const child = spawn(cmd, args, { env: { ...process.env, LOG_PRETTY: '0' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sent = false;
  const check = () => {
    if (sent || !ready(stdout + stderr)) return;
    sent = true;
    // The prompt is written just before the terminal is switched to raw mode.
    setTimeout(() => interrupt(child), 300);
  };
  child.stdout!.on('data', (d) => { stdout += String(d); check(); });
  child.stderr!.on('data', (d) => { stderr += String(d); check(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('staff hash-password cancelled at the prompt', () => {
  it.skipIf(!hasScript)('on a terminal, Ctrl-C exits 130 with a «cancelled» line and writes no hash', async () => {
    const r = await cancelAtPrompt('script', ['-qefc', CLI, '/dev/null'], (out) => out.includes('Пароль'), (c) => c.stdin!.write('ab\u0003'));
    const printed = r.stdout + r.stderr;
    expect(printed).toMatch(/cancelled/);
    expect(printed).not.toMatch(/scrypt\$|Error|\n\s+at /);
    expect(r.code).toBe(130);
  }, 60_000);

  it('piped, with standard input still open, SIGINT exits 130 and writes no hash', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'staff', 'hash-password'], { env: { ...process.env, LOG_PRETTY: '0' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.on('data', (d) => { stdout += String(d); });
    child.stdin!.write('half a pass');
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // No prompt without a terminal: interrupted once the command is up and reading (tsx starts in 1–2 s).
    await new Promise((resolve) => setTimeout(resolve, 5000));
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(stdout).toBe('');
  }, 60_000);
});
