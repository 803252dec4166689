// `migrate … --verify-import` compares each lesson's homework text with what ЭлЖур holds. A lesson the source marks
// «Не задано» (nothing set) while ЭлЖур holds a real task is a difference — the family reads a task the teacher
// never set — and must be counted and listed, as a text against nothing is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEljurEmulator, type EljurEmulator } from '../../src/emulators/eljur/index.js';
import { buildImportPackage, verifyImport } from '../../src/connectors/eljur/import/index.js';
import type { CanonicalRecord } from '../../src/model/index.js';
import { connectorFor } from './harness.js';

let school: SyntheticSchool;
let window: { from: string; to: string };
let emu: EljurEmulator;

beforeAll(async () => {
  school = generateSchool({ seed: 23, pupils: 20, weeks: 2 });
  const dates = school.all('lesson').map((l) => l.date).sort();
  window = { from: dates[0], to: dates.at(-1)! };
  // ЭлЖур loaded the package of the school as generated: every held lesson with its homework text.
  const pkg = buildImportPackage(school.records, { vendor: 'school-emu', generatedAt: '2026-11-29T12:00:00.000Z', window });
  emu = await startEljurEmulator({ dataset: school, importPackage: pkg.files });
});
afterAll(async () => { await emu?.close(); });

const resolverOf = (e: EljurEmulator) => {
  const x = new Map(e.crosswalk().map((r) => [`${r.entity}:${r.sourceId}`, r.canonicalId]));
  return (entity: string, id: string) => x.get(`${entity}:${id}`);
};

describe('--verify-import: homework «Не задано» at the source against a text in ЭлЖур', () => {
  it('is counted and listed as a difference of the lesson\'s homework, not passed as equal', async () => {
    const held = school.all('lesson').filter((l) => l.lessonStatus === 'held' && l.date >= window.from && l.date <= window.to && l.homework?.text?.trim());
    const [a] = held;
    expect(a, 'a held lesson with a homework text in the synthetic school').toBeDefined();
    // The store now says the teacher set nothing for lesson a; ЭлЖур still holds the task the package carried.
    const records = school.records.map((r) => (r.id === a!.id ? { ...a!, homework: { notAssigned: true, attachments: [] } } as CanonicalRecord : r));
    const v = await verifyImport(connectorFor(emu), records, window, { resolve: resolverOf(emu) });
    expect(v.report.differences).toEqual([{ entity: 'lesson', id: a!.id, kind: 'different', fields: ['homework'] }]);
    expect(v.report.compared.lesson!.equal).toBe(v.report.compared.lesson!.expected - 1);
    expect(v.ok).toBe(false);
  }, 120_000);

  it('a lesson whose topic and homework both changed is one difference naming both fields, counted once', async () => {
    const held = school.all('lesson').filter((l) => l.lessonStatus === 'held' && l.date >= window.from && l.date <= window.to && l.homework?.text?.trim());
    const [a, b] = held;
    const records = school.records.map((r) => (r.id === a!.id ? { ...a!, topic: 'Другая тема', homework: { ...a!.homework!, text: 'Другое задание' } } as CanonicalRecord
      : r.id === b!.id ? { ...b!, homework: { ...b!.homework!, text: 'Ещё одно задание' } } as CanonicalRecord : r));
    const v = await verifyImport(connectorFor(emu), records, window, { resolve: resolverOf(emu) });
    expect(v.report.differences).toHaveLength(2);
    expect(v.report.differences).toContainEqual({ entity: 'lesson', id: a!.id, kind: 'different', fields: ['topic', 'homework'] });
    expect(v.report.differences).toContainEqual({ entity: 'lesson', id: b!.id, kind: 'different', fields: ['homework'] });
    expect(v.report.compared.lesson!.equal).toBe(v.report.compared.lesson!.expected - 2);
  }, 120_000);
});
