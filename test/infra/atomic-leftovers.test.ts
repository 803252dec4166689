// A writer killed half-way (SIGKILL, an OOM kill) leaves its hidden copy beside the output: `.NAME.partial-<pid>`, or
// for a package being replaced the earlier package moved aside as `.NAME.old-<pid>`. The next write of the same
// output removes what a process no longer running left, and keeps what a running one may still be writing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDirectoryAtomic } from '../../src/infra/atomic-directory.js';
import { writeFileAtomic } from '../../src/infra/atomic-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-atomic-leftovers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The id of a process that has ended: a writer killed before. */
const deadPid = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
/** A process that runs for the whole test: a writer still at work. */
const livePid = process.ppid;
const hidden = (d: string) => readdirSync(d).filter((n) => n.startsWith('.')).sort();

describe('leftovers of a killed writer', () => {
  it('a report: the dead writer\'s temporary file goes, a running one\'s stays, another output\'s is not touched', () => {
    const d = path.join(dir, 'reports');
    mkdirSync(d);
    writeFileSync(path.join(d, `.report.json.partial-${deadPid}`), '{"half":');
    writeFileSync(path.join(d, `.report.json.partial-${livePid}`), '{"being written":');
    writeFileSync(path.join(d, `.other.json.partial-${deadPid}`), '{"another output":');
    writeFileAtomic(path.join(d, 'report.json'), '{"ok":true}');
    expect(hidden(d)).toEqual([`.other.json.partial-${deadPid}`, `.report.json.partial-${livePid}`].sort());
  });

  it('a package: the earlier package a killed writer moved aside, and its half-written new one, go', () => {
    const pkg = path.join(dir, 'package');
    for (const leftover of [`.package.old-${deadPid}`, `.package.partial-${deadPid}`]) {
      mkdirSync(path.join(dir, leftover));
      writeFileSync(path.join(dir, leftover, 'manifest.json'), '{}');
    }
    writeDirectoryAtomic(pkg, new Map([['manifest.json', '{"new":true}']]), { isOwnFile: () => true, what: 'a test package' });
    expect(existsSync(path.join(pkg, 'manifest.json'))).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith('.package'))).toEqual([]);
  });
});
