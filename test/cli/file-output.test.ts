// Where `--out` writes (src/cli/file-output.ts). A report or an export is written whole through a temporary file
// renamed over the name; that rename must not replace what the name only points at: a symbolic link an operator keeps
// to "the latest report" stays a link (before, it became a plain file and the file it pointed at kept last night's
// report), and a device such as /dev/null or /dev/stdout in a cron line is written to, never renamed over.
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileOutput } from '../../src/cli/file-output.js';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-file-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--out FILE', () => {
  it('a new file and an existing one are written whole, with no temporary file left', async () => {
    const file = path.join(dir, 'report.csv');
    await writeFileOutput(file, 'first\n');
    await writeFileOutput(file, 'second\n');
    expect(readFileSync(file, 'utf8')).toBe('second\n');
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('a symbolic link stays a link, and the file it points at gets the new content', async () => {
    const target = path.join(dir, 'reports-2026-12-01.csv');
    const link = path.join(dir, 'latest.csv');
    writeFileSync(target, 'last night\n');
    symlinkSync(target, link);
    await writeFileOutput(link, 'tonight\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('tonight\n');
  });

  it('a device is written to, not replaced', async () => {
    await writeFileOutput('/dev/null', 'nothing\n');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((f) => f.includes('partial'))).toEqual([]);
  });
});
