// `journal-gateway staff hash-password`: the scrypt hash for a `web.staff` account (docs/operations.md).
// The password comes from standard input — never from an argument, which `ps` and the shell history would
// show. Piped: the whole input without its final newline. On a terminal: one line, not echoed.
import { hashPassword } from '../../web/staff/password.js';
import { UsageError } from '../../infra/operator-errors.js';

/** 128 + SIGINT: what a shell reports for a command cancelled with Ctrl-C. */
const CANCELLED_EXIT = 130;

/** Ctrl-C at the hidden prompt: in raw mode it arrives as a byte, not as SIGINT, so it is told apart from a failure. */
class PromptCancelled extends Error {}

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function readHidden(): Promise<string> {
  return new Promise((resolve, reject) => {
    process.stderr.write('Пароль (не отображается): ');
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new PromptCancelled());
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

export async function run(): Promise<number> {
  let password: string;
  try {
    password = process.stdin.isTTY ? await readHidden() : await readPiped();
  } catch (e) {
    // A cancellation is the operator's choice, not an error: one line and the shell's exit code, as for SIGINT.
    if (!(e instanceof PromptCancelled)) throw e;
    process.stderr.write('journal-gateway: cancelled\n');
    return CANCELLED_EXIT;
  }
  if (!password) throw new UsageError('no password on standard input: echo the password into `journal-gateway staff hash-password`, or type it when asked');
  process.stdout.write(`${await hashPassword(password)}\n`);
  return 0;
}
