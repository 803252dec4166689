// TypeScript strict over everything the project holds — sources, tests, benches, scripts (tsconfig.json "include"):
// vitest runs tests without type-checking them, so a type error in a test or a bench would otherwise go unseen.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
// The compiler the project pins (package.json → typescript), found from its package.json (bin/ is not an export).
const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

describe('the project type-checks', () => {
  it('tsc --noEmit -p . reports no error', async () => {
    const out = await run(process.execPath, [tsc, '--noEmit', '-p', '.'], { maxBuffer: 16 * 2 ** 20 }).then(
      () => '', (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
    expect(out).toBe('');
  }, 300_000);
});
