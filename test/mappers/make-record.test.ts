// The record builder shares one provenance object per payload. Remembering which payload that was must not keep the
// payload's map context alive afterwards: a context's crosswalk resolver closes over its caller's scope (a migration's
// whole school of records, a journal read's pages), and a module-level reference held it until the next mapping — in a
// worker, until the next job; in `migrate`, through the plan and the package (docs/migration.md, "Memory").
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { MapContext } from '../../src/connectors/mapping.js';
import { makeRecord } from '../../src/mappers/kit/make-record.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function context(resolve?: MapContext['resolve']): MapContext {
  return {
    system: 'dnevnik_ru', instance: 'dnevnik-test', timeZone: 'Europe/Samara', fetchedAt: '2025-09-10T00:00:00.000Z',
    runId: 'run-1', mapperVersion: 'test-1', ids: {}, payloadHash: 'a'.repeat(64), resolve,
  };
}

/** Maps one record in a context whose resolver holds `held`, and gives back only a weak reference to `held`. */
function mapOnceHolding(): WeakRef<object> {
  const held = { school: new Array(10_000).fill('record') };
  const ctx = context((_entity, sourceId) => (held.school.length ? `canonical-${sourceId}` : undefined));
  makeRecord(ctx, 'lesson', 'lesson-1', 'lesson', '1', { sectionId: 'section-1' });
  return new WeakRef(held);
}

describe('makeRecord', () => {
  it('shares one provenance object among the records of one context, and makes a new one for the next', () => {
    const a = context();
    const b = { ...context(), payloadHash: 'b'.repeat(64) };
    const [r1, r2] = [1, 2].map((n) => makeRecord(a, 'lesson', `lesson-${n}`, 'lesson', String(n), {}));
    const r3 = makeRecord(b, 'lesson', 'lesson-3', 'lesson', '3', {});
    expect(r1.provenance).toBe(r2.provenance);
    expect(r1.provenance.payloadHash).toBe('a'.repeat(64));
    expect(r3.provenance).not.toBe(r1.provenance);
    expect(r3.provenance.payloadHash).toBe('b'.repeat(64));
  });

  it('does not keep a context (nor what its resolver closes over) alive once its records are built', async () => {
    const held = mapOnceHolding();
    // Two collections, a turn of the event loop between them: a WeakRef's target is kept through the job that made it.
    await new Promise((r) => setImmediate(r));
    gc();
    await new Promise((r) => setImmediate(r));
    gc();
    expect(held.deref()).toBeUndefined();
  });
});
