// `eljur-package FILE` from a canonical NDJSON holding two school years — what a store's export gives after a rollover:
// last year's terms, classes, groups and class lists kept, and the new year's (docs/sync.md). The package is of one
// year, as a migration's is (src/sync/school-records.ts): the window's, or the school's latest without a window. Before,
// the file's package listed both years' classes (two «5А»), both years' terms, and put each promoted pupil in
// whichever of their two classes came last. Synthetic data (test/support/rollover.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as eljurPackage } from '../../src/cli/commands/eljur-package.js';
import { parseCsv } from '../../src/connectors/eljur/import/index.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { buildRollover } from '../support/rollover.js';

describe('eljur-package from a file holding last year and the new year', () => {
  const roll = buildRollover({ pupils: 24, weeks: 1 });
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-eljur-package-two-years-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // One record per id, the new year's where both years have it (the school, the promoted pupils, the teachers).
  const byId = new Map<string, CanonicalRecord>();
  for (const r of [...roll.old.records, ...roll.next.records]) byId.set(r.id, r);
  const file = path.join(dir, 'school.ndjson');
  writeFileSync(file, [...byId.values()].map((r) => JSON.stringify(r)).join('\n') + '\n');
  const fullName = (p: { familyName?: string; givenName?: string; middleName?: string }) => `${p.familyName}|${p.givenName}|${p.middleName ?? ''}`;

  const build = async (out: string, window?: { from: string; to: string }) => {
    const code = await eljurPackage(file, { out: path.join(dir, out), now: '2026-09-20T10:00:00Z', ...(window ?? {}) });
    expect(code).toBe(0);
    return (name: string) => parseCsv(readFileSync(path.join(dir, out, name), 'utf8'));
  };

  it('with the new year\'s window: its classes, terms and groups only, each promoted pupil in their new class', async () => {
    const csv = await build('new-year', roll.next.lessonWindow());
    const classes = csv('classes.csv');
    expect(classes.map((c) => c.name).sort()).toEqual(roll.next.all('homeroom_class').map((c) => c.title).sort());
    expect(new Set(classes.map((c) => c.year_key)).size, 'school years of classes.csv').toBe(1);
    const firstDay = roll.next.all('academic_session').map((s) => s.startDate).sort()[0];
    expect(csv('periods.csv').filter((p) => p.start < firstDay).map((p) => p.name), 'last year\'s terms').toEqual([]);
    expect(csv('groups.csv').length, 'groups.csv').toBe(roll.next.all('section').length);
    const byName = new Map(csv('pupils.csv').map((p) => [`${p.lastname}|${p.firstname}|${p.middlename}`, p.class]));
    const persons = new Map(roll.old.all('person').map((p) => [p.id, fullName(p)]));
    expect([...roll.promoted].filter(([id, cls]) => byName.get(persons.get(id)!) !== cls), 'promoted pupils not in their new class').toEqual([]);
    expect(byName.size, 'pupils.csv').toBe(roll.promoted.size + roll.newcomers.length);
  });

  it('without a window: the school\'s latest year, as a migration\'s', async () => {
    const csv = await build('latest');
    expect(csv('classes.csv').map((c) => c.name).sort()).toEqual(roll.next.all('homeroom_class').map((c) => c.title).sort());
  });

  it('with last year\'s window: last year\'s classes and its lessons', async () => {
    const window = roll.old.lessonWindow();
    const csv = await build('last-year', window);
    expect(csv('classes.csv').map((c) => c.name).sort()).toEqual(roll.old.all('homeroom_class').map((c) => c.title).sort());
    expect(csv('lessons.csv').length).toBeGreaterThan(0);
    expect(csv('lessons.csv').every((l) => l.date >= window.from && l.date <= window.to)).toBe(true);
  });
});
