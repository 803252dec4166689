// Outputs an operator keeps or hands on are written whole (src/infra/atomic-file.ts, atomic-directory.ts): a disk that
// fills up half-way through a write must leave the previous run summary, migration report or ЭлЖур import package as
// it was, and no temporary file or directory beside it. A full disk is a writeFileSync that writes half of its text
// and then fails with ENOSPC, as the kernel does.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as eljurPackageCommand } from '../../src/cli/commands/eljur-package.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { MigrationReport } from '../../src/sync/migrate.js';
import { writeMigrationReport } from '../../src/sync/migration-report.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { writeRunSummaryFile } from '../../src/sync/run-summary-file.js';

/** Which file names run out of disk (matched on the base name, so a temporary name beside it matches too). */
const disk = vi.hoisted(() => ({ full: undefined as RegExp | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  // Files are written through a descriptor (so they can be flushed): which file each open descriptor is.
  const openFiles = new Map<number, string>();
  const openSync = ((file: string, ...rest: unknown[]) => {
    const fd = (fs.openSync as (...a: unknown[]) => number)(file, ...rest);
    openFiles.set(fd, String(file));
    return fd;
  }) as typeof fs.openSync;
  const closeSync = ((fd: number) => {
    openFiles.delete(fd);
    fs.closeSync(fd);
  }) as typeof fs.closeSync;
  const writeFileSync = ((file: Parameters<typeof fs.writeFileSync>[0], data: string, opts?: Parameters<typeof fs.writeFileSync>[2]) => {
    const name = typeof file === 'number' ? openFiles.get(file) : typeof file === 'string' ? file : undefined;
    if (disk.full && name && disk.full.test(path.basename(name))) {
      fs.writeFileSync(file, data.slice(0, Math.floor(data.length / 2)), opts);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    return fs.writeFileSync(file, data, opts);
  }) as typeof fs.writeFileSync;
  const own = { openSync, closeSync, writeFileSync };
  return { ...fs, default: { ...fs, ...own }, ...own };
});

const dir = mkdtempSync(path.join(tmpdir(), 'jg-atomic-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  disk.full = undefined;
});
const litter = (d: string) => readdirSync(d).filter((f) => f.includes('.partial-') || f.includes('.old-'));
const contents = (d: string) => Object.fromEntries(readdirSync(d).sort().map((f) => [f, readFileSync(path.join(d, f), 'utf8')]));

describe('run summary file', () => {
  const summary = (runId: string, created: number) => ({ runId, kind: 'roster-sync', instance: 'asurso-main', school: 's1', created } as unknown as RunSummary);

  it('a full disk leaves the summary written before as it was, and no temporary file', () => {
    const data = path.join(dir, 'data');
    const file = writeRunSummaryFile(data, [summary('run-1', 1)])!;
    const before = readFileSync(file, 'utf8');
    disk.full = /run-1\.json/;
    expect(() => writeRunSummaryFile(data, [summary('run-1', 2)])).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} not written .*ENOSPC`));
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(litter(path.dirname(file))).toEqual([]);
  });
});

describe('migration report', () => {
  const report = (ok: boolean) => ({
    school: 's1', from: 'asurso-main', to: 'epos-main', window: { from: '2025-09-01', to: '2025-12-31' }, dryRun: false, steps: [],
    plan: { toCreate: { mark: ok ? 3 : 4 }, alreadyThere: {}, unmatchedPeople: 0, lessonsMissingInTarget: 0, conflicts: 0 },
    notMigrated: 0, ok, startedAt: '2025-12-31T10:00:00.000Z', finishedAt: '2025-12-31T10:05:00.000Z',
  } as MigrationReport);

  it.each([['the JSON', /\.json/], ['the HTML', /\.html/]])('a full disk while writing %s leaves the earlier JSON and HTML both as they were', (_, full) => {
    const base = path.join(dir, 'reports', 'migration-s1-asurso-main-epos-main');
    writeMigrationReport(report(true), base);
    const before = contents(path.dirname(base));
    disk.full = full;
    expect(() => writeMigrationReport(report(false), base)).toThrow(/not written .*ENOSPC/);
    expect(contents(path.dirname(base))).toEqual(before);
    disk.full = undefined;
    writeMigrationReport(report(false), base);
    expect(JSON.parse(readFileSync(`${base}.json`, 'utf8')).ok).toBe(false);
  });
});

describe('`eljur-package FILE --out DIR`', () => {
  const ndjson = path.join(dir, 'school.ndjson');
  const school = generateSchool({ seed: 5, pupils: 6, weeks: 2 });
  const opts = (out: string, now: string) => ({ out, vendor: 'school-emu', now });
  beforeAll(() => writeFileSync(ndjson, school.records.map((r) => JSON.stringify(r)).join('\n')));
  const expected = ['README.md', 'attendance.csv', 'classes.csv', 'final_marks.csv', 'group_members.csv', 'groups.csv', 'lessons.csv', 'manifest.json', 'marks.csv', 'periods.csv', 'pupils.csv', 'staff.csv'];

  it('a new directory holds exactly the package\'s files, with nothing left beside it', async () => {
    const out = path.join(dir, 'new', 'package');
    expect(await eljurPackageCommand(ndjson, opts(out, '2026-01-10T12:00:00.000Z'))).toBe(0);
    expect(readdirSync(out).sort()).toEqual(expected);
    expect(litter(path.dirname(out))).toEqual([]);
  });

  it('a full disk half-way through leaves the earlier package whole (its manifest and every file it lists), and no temporary directory', async () => {
    const out = path.join(dir, 'replaced');
    expect(await eljurPackageCommand(ndjson, opts(out, '2026-01-10T12:00:00.000Z'))).toBe(0);
    const before = contents(out);
    disk.full = /^marks\.csv$/;
    await expect(eljurPackageCommand(ndjson, opts(out, '2026-01-11T12:00:00.000Z'))).rejects.toThrow(/not written .*ENOSPC/);
    expect(contents(out)).toEqual(before);
    expect(litter(dir)).toEqual([]);
  });

  it('the earlier package a killed writer left moved aside stays until a new package is in place', async () => {
    const out = path.join(dir, 'killed');
    const aside = path.join(dir, `.killed.old-${spawnSync(process.execPath, ['-e', '0']).pid}`);
    mkdirSync(aside);
    writeFileSync(path.join(aside, 'manifest.json'), '{"earlier":true}');
    disk.full = /^marks\.csv$/;
    await expect(eljurPackageCommand(ndjson, opts(out, '2026-01-11T12:00:00.000Z'))).rejects.toThrow(/not written .*ENOSPC/);
    expect(readFileSync(path.join(aside, 'manifest.json'), 'utf8')).toBe('{"earlier":true}');
    disk.full = undefined;
    expect(await eljurPackageCommand(ndjson, opts(out, '2026-01-11T12:00:00.000Z'))).toBe(0);
    expect(existsSync(aside)).toBe(false);
  });

  it('an earlier package is replaced by the new one whole; an empty directory is used', async () => {
    const out = path.join(dir, 'again');
    expect(await eljurPackageCommand(ndjson, opts(out, '2026-01-10T12:00:00.000Z'))).toBe(0);
    expect(await eljurPackageCommand(ndjson, opts(out, '2026-01-11T12:00:00.000Z'))).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')).generatedAt).toBe('2026-01-11T12:00:00.000Z');
    expect(readdirSync(out).sort()).toEqual(expected);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    expect(await eljurPackageCommand(ndjson, opts(empty, '2026-01-10T12:00:00.000Z'))).toBe(0);
    expect(readdirSync(empty).sort()).toEqual(expected);
    expect(litter(dir)).toEqual([]);
  });

  it('a directory holding other files is refused, naming it, and nothing in it is touched', async () => {
    const out = path.join(dir, 'documents');
    mkdirSync(out);
    writeFileSync(path.join(out, 'приказ.docx'), 'x');
    await expect(eljurPackageCommand(ndjson, opts(out, '2026-01-10T12:00:00.000Z'))).rejects.toThrow(`${out} holds 1 file(s) that are not part of an ЭлЖур import package (приказ.docx)`);
    expect(readdirSync(out)).toEqual(['приказ.docx']);
    expect(existsSync(path.join(out, 'manifest.json'))).toBe(false);
  });
});
