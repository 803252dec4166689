// A writer killed half-way (SIGKILL, an OOM kill) leaves its hidden copy beside the output: `.NAME.partial-<host>-<pid>`,
// or for a package being replaced the earlier package moved aside as `.NAME.old-<host>-<pid>`. The next write of the
// same output removes what a process of this machine no longer running left, and keeps what a running one may still be
// writing. Another machine's process ids mean nothing here, so what it left in a shared directory goes only once it has
// not been modified for FOREIGN_LEFTOVER_AFTER_MS — hosts named anew each run (docker run, a pod) never come back for it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
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
/** This machine's name as hidden files carry it. */
const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
const hidden = (d: string) => readdirSync(d).filter((n) => n.startsWith('.')).sort();
/** Sets a leftover's mtime `ms` in the past: a writer that stopped touching it that long ago. */
const untouchedFor = (p: string, ms: number) => {
  const t = new Date(Date.now() - ms);
  utimesSync(p, t, t);
};
const hour = 3_600_000;
/** FOREIGN_LEFTOVER_AFTER_MS (atomic-file.ts): no write of one output lasts a day. */
const limit = 24 * hour;

describe('leftovers of a killed writer', () => {
  it('a report: the dead writer\'s temporary file goes, a running one\'s stays, another output\'s is not touched', () => {
    const d = path.join(dir, 'reports');
    mkdirSync(d);
    writeFileSync(path.join(d, `.report.json.partial-${host}-${deadPid}`), '{"half":');
    writeFileSync(path.join(d, `.report.json.partial-${host}-${livePid}`), '{"being written":');
    writeFileSync(path.join(d, `.other.json.partial-${host}-${deadPid}`), '{"another output":');
    writeFileSync(path.join(d, `.report.json.partial-${deadPid}`), '{"named before machines were":');
    writeFileAtomic(path.join(d, 'report.json'), '{"ok":true}');
    expect(hidden(d)).toEqual([`.other.json.partial-${host}-${deadPid}`, `.report.json.partial-${host}-${livePid}`].sort());
  });

  it('a shared directory: another machine\'s writer is not judged by this machine\'s process ids', () => {
    const d = path.join(dir, 'shared');
    mkdirSync(d);
    // The id of a process that does not run here may be one at work on the other machine right now.
    const other = `.report.json.partial-worker-2.region.example-${deadPid}`;
    writeFileSync(path.join(d, other), '{"being written elsewhere":');
    writeFileAtomic(path.join(d, 'report.json'), '{"ok":true}');
    expect(hidden(d)).toEqual([other]);
  });

  it('a shared directory: another machine\'s leftover untouched for longer than the limit goes, a younger one stays', () => {
    const d = path.join(dir, 'shared-aged');
    mkdirSync(d);
    // Each run of a container or a pod has a new host name: no later write of the same machine will remove these.
    const stale = `.report.json.partial-pod-7f9c-${deadPid}`;
    const young = `.report.json.partial-pod-a1b2-${livePid}`;
    const legacy = `.report.json.partial-${livePid}`; // named before machines were; the id runs here, the file is a day old
    for (const n of [stale, young, legacy]) writeFileSync(path.join(d, n), '{"half":');
    untouchedFor(path.join(d, stale), limit + hour);
    untouchedFor(path.join(d, young), limit - hour);
    untouchedFor(path.join(d, legacy), limit + hour);
    writeFileAtomic(path.join(d, 'report.json'), '{"ok":true}');
    expect(hidden(d)).toEqual([young]);
  });

  it('a shared directory: another machine\'s earlier package moved aside (.old) goes once untouched for longer than the limit', () => {
    const d = path.join(dir, 'shared-package');
    mkdirSync(d);
    const pkg = path.join(d, 'package');
    const stale = `.package.old-pod-7f9c-${deadPid}`;
    const young = `.package.old-pod-a1b2-${deadPid}`;
    for (const n of [stale, young]) {
      mkdirSync(path.join(d, n));
      writeFileSync(path.join(d, n, 'manifest.json'), '{}');
    }
    // The directory's own mtime is what counts; its files keep today's.
    untouchedFor(path.join(d, stale), limit + hour);
    untouchedFor(path.join(d, young), limit - hour);
    writeDirectoryAtomic(pkg, new Map([['manifest.json', '{"new":true}']]), { isOwnFile: () => true, what: 'a test package' });
    expect(existsSync(path.join(pkg, 'manifest.json'))).toBe(true);
    expect(hidden(d)).toEqual([young]);
  });

  it('this machine\'s leftover of a running writer stays however old it is', () => {
    const d = path.join(dir, 'own-aged');
    mkdirSync(d);
    const running = `.report.json.partial-${host}-${livePid}`;
    writeFileSync(path.join(d, running), '{"being written":');
    untouchedFor(path.join(d, running), limit + hour);
    writeFileAtomic(path.join(d, 'report.json'), '{"ok":true}');
    expect(hidden(d)).toEqual([running]);
  });

  it('a package: the earlier package a killed writer moved aside, and its half-written new one, go', () => {
    const pkg = path.join(dir, 'package');
    for (const leftover of [`.package.old-${host}-${deadPid}`, `.package.partial-${host}-${deadPid}`]) {
      mkdirSync(path.join(dir, leftover));
      writeFileSync(path.join(dir, leftover, 'manifest.json'), '{}');
    }
    writeDirectoryAtomic(pkg, new Map([['manifest.json', '{"new":true}']]), { isOwnFile: () => true, what: 'a test package' });
    expect(existsSync(path.join(pkg, 'manifest.json'))).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith('.package'))).toEqual([]);
  });

  it('a package replaced by a process with the id of the killed one (a container\'s node as pid 1 each run): its moved-aside leftover does not block the write', () => {
    const pkg = path.join(dir, 'same-pid');
    const kind = { isOwnFile: () => true, what: 'a test package' };
    writeDirectoryAtomic(pkg, new Map([['manifest.json', '{"first":true}']]), kind);
    // The earlier run, same machine name and same process id, was killed after the new package took the name but
    // before it removed the one it had moved aside.
    const aside = path.join(dir, `.same-pid.old-${host}-${process.pid}`);
    mkdirSync(aside);
    writeFileSync(path.join(aside, 'manifest.json'), '{"older":true}');
    // Before, moving the package aside onto that name failed (ENOTEMPTY) on every write from then on.
    writeDirectoryAtomic(pkg, new Map([['manifest.json', '{"second":true}']]), kind);
    expect(readFileSync(path.join(pkg, 'manifest.json'), 'utf8')).toBe('{"second":true}');
    expect(readdirSync(dir).filter((n) => n.startsWith('.same-pid'))).toEqual([]);
  });
});
