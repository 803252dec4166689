// A report or import package written whole must also survive a power loss right after it is written: each file's data
// is flushed to the disk before the rename gives it its name, and the directory after the rename. Without that, a
// file system may put the rename on the disk first, and a crash leaves the new name on an empty file in place of
// last night's whole one. No test can pull the plug, so the system calls are watched with strace (skipped where the
// machine has no strace or forbids tracing), on real files in a temporary directory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-atomic-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const straceWorks = spawnSync('strace', ['-f', '-e', 'trace=none', 'true']).status === 0;

/** Runs `code` (importing `src/infra/…`) under strace; the fsync and rename calls it made, in order, with paths. */
function traced(code: string): string[] {
  const script = path.join(dir, `script-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(script, code);
  const log = `${script}.trace`;
  const r = spawnSync('strace', ['-f', '-y', '-qq', '-o', log, '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2', process.execPath, '--import', 'tsx', script], { encoding: 'utf8', cwd: process.cwd() });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter((l) => /(fsync|fdatasync|rename\w*)\(/.test(l) && l.includes(dir) && !l.includes('.ts'));
}
const at = (calls: string[], re: RegExp) => calls.findIndex((c) => re.test(c));

describe.skipIf(!straceWorks)('atomic outputs reach the disk before they take their names', () => {
  it('a report: the temporary file is flushed, renamed, then its directory flushed', () => {
    const file = path.join(dir, 'report.json');
    const calls = traced(`import { writeFilesAtomic } from ${JSON.stringify(path.resolve('src/infra/atomic-file.ts'))};
writeFilesAtomic([[${JSON.stringify(file)}, '{"ok":true}']]);`);
    expect(readFileSync(file, 'utf8')).toBe('{"ok":true}');
    const flushed = at(calls, /fsync\(\d+<[^>]*\.report\.json\.partial-[^/>"]*-\d+>\)/);
    const renamed = at(calls, /rename\w*\(.*report\.json\.partial-[^/>"]*-\d+.*report\.json"/);
    const dirFlushed = at(calls, new RegExp(`fsync\\(\\d+<${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>\\)`));
    expect(flushed, calls.join('\n')).toBeGreaterThanOrEqual(0);
    expect(renamed).toBeGreaterThan(flushed);
    expect(dirFlushed).toBeGreaterThan(renamed);
  });

  it('a package directory: every file and the directory are flushed before the rename, the parent after', () => {
    const pkg = path.join(dir, 'package');
    const calls = traced(`import { writeDirectoryAtomic } from ${JSON.stringify(path.resolve('src/infra/atomic-directory.ts'))};
writeDirectoryAtomic(${JSON.stringify(pkg)}, new Map([['a.csv', 'a'], ['manifest.json', '{}']]), { isOwnFile: () => true, what: 'a test package' });`);
    expect(readFileSync(path.join(pkg, 'manifest.json'), 'utf8')).toBe('{}');
    const renamed = at(calls, /rename\w*\(.*\.package\.partial-[^/>"]*-\d+.*package"/);
    expect(renamed, calls.join('\n')).toBeGreaterThanOrEqual(0);
    for (const f of ['a.csv', 'manifest.json']) expect(at(calls, new RegExp(`fsync\\(\\d+<[^>]*\\.package\\.partial-[^/>"]*-\\d+/${f.replace('.', '\\.')}>\\)`))).toBeLessThan(renamed);
    expect(at(calls, /fsync\(\d+<[^>]*\.package\.partial-[^/>"]*-\d+>\)/)).toBeGreaterThanOrEqual(0);
    expect(at(calls, /fsync\(\d+<[^>]*\.package\.partial-[^/>"]*-\d+>\)/)).toBeLessThan(renamed);
    const parentFlushed = at(calls, new RegExp(`fsync\\(\\d+<${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>\\)`));
    expect(parentFlushed).toBeGreaterThan(renamed);
  });
});
