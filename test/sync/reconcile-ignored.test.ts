// What a migration's reconciliation leaves out, by what the platforms carry: a value the target cannot hold as the
// source gave it must not make a migration "different" for ever (every re-run rewrote it and exited 1).
import { describe, expect, it } from 'vitest';
import { getPlatform } from '../../src/connectors/registry.js';
import { buildRecord, compareRecords, type CanonicalRecord } from '../../src/model/index.js';
import { ignoredInReconciliation } from '../../src/sync/migration-reconcile.js';
import { SchoolFixture } from '../support/fixtures.js';

/** The same record as another platform reads it back: `fields` changed, envelope and hash rebuilt. */
function readBack<R extends CanonicalRecord>(r: R, fields: Record<string, unknown>): CanonicalRecord {
  const { entity, id, status, sourceRefs, provenance, version: _v, updatedAt: _u, contentHash: _h, ...business } = r as unknown as Record<string, unknown>;
  return buildRecord(entity as never, { ...business, ...fields } as never, { id: id as string, status: status as 'active', sourceRefs: sourceRefs as never, provenance: provenance as never }) as CanonicalRecord;
}

describe('a migration reconciliation leaves out what the target cannot carry as the source gave it', () => {
  const fx = new SchoolFixture();
  const substitute = fx.person('Заменов', 'Учитель');
  const lesson = fx.lesson({ date: '2025-09-15' });
  const mark = fx.mark(lesson, '4', { recordedBy: substitute.id });
  const absence = fx.attendance(lesson, { recordedBy: substitute.id });
  const final = fx.finalMark({ raw: '4', computedAverage: 4.35, recordedBy: substitute.id });
  const compare = (target: string, source: string, expected: CanonicalRecord[], actual: CanonicalRecord[]) =>
    compareRecords(expected, actual, { ignoreFields: ignoredInReconciliation(getPlatform(target).declaration, getPlatform(source).declaration.system) });

  it('into Дневник.ру: a mark, an absence or a final mark another teacher set reads back with the lesson\'s teacher, and is equal', () => {
    const back = [mark, absence, final].map((r) => readBack(r, { recordedBy: fx.teacher.id }));
    expect(compare('dnevnik', 'epos', [mark, absence, final], back).differences).toEqual([]);
    // A changed value still is a difference.
    const changed = readBack(mark, { recordedBy: fx.teacher.id, raw: '5', base: 5, numeric: 5 });
    expect(compare('dnevnik', 'epos', [mark], [changed]).differences).toEqual([expect.objectContaining({ id: mark.id, kind: 'different', fields: ['base', 'numeric', 'raw'] })]);
  });

  it('into АСУ РСО: a final mark entered by hand reads back with АСУ РСО\'s own average, and is equal', () => {
    const entered = readBack(final, { computedAverage: 4.5 });
    expect(compare('asurso', 'epos', [final], [entered]).differences).toEqual([]);
    const wrong = readBack(final, { computedAverage: 4.5, raw: '5', base: 5 });
    expect(compare('asurso', 'epos', [final], [wrong]).differences).toEqual([expect.objectContaining({ kind: 'different', fields: ['base', 'raw'] })]);
  });
});
