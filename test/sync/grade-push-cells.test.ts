// A cell's two marks on a target that finds marks by their place in the cell (ЭПОС): the push tells the writer which
// platform mark the cell's other slot already holds, and a mark the target removed is linked anew when it is written
// again — so a retried first mark never overwrites the second, and no later push addresses a mark that is gone.
import { describe, expect, it } from 'vitest';
import type { Connector, MarkWriteOp, WriteResult } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord, MarkRecord } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { gradePush } from '../../src/sync/grade-push.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';

const school = generateSchool({ seed: 21, pupils: 24, weeks: 2 });
const records = school.records.map((r) => (r.entity === 'homeroom_class' ? { ...r, organizationId: schoolCanonicalId('s1') } : r)) as CanonicalRecord[];
const source = records.find((r) => r.entity === 'mark')!.provenance;

describe('grade push: the two marks of a cell', () => {
  it('names the other slot\'s platform mark to the writer, and relinks a mark written anew', async () => {
    const store = await openStore({ dataDir: 'memory://', databaseUrl: null });
    try {
      await store.upsertMany(records, { runId: 'load' });
      const linked = records.filter((r) => r.entity === 'person' || r.entity === 'lesson');
      await store.link(linked.map((r) => ({ entity: r.entity, canonicalId: r.id, system: 'epos', instance: 'target', sourceId: r.id, sourceIdKind: 'id' })), { runId: 'link' });
      const marks = records.filter((r) => r.entity === 'mark') as MarkRecord[];
      const second = marks.find((m) => m.slot === 2)!;
      const first = marks.find((m) => m.slot === 1 && m.studentId === second.studentId && m.lessonId === second.lessonId)!;
      // The target holds the second mark already (linked), and the first under a platform id it has since removed.
      await store.link([
        { entity: 'mark', canonicalId: second.id, system: 'epos', instance: 'target', sourceId: 'p-second', sourceIdKind: 'id' },
        { entity: 'mark', canonicalId: first.id, system: 'epos', instance: 'target', sourceId: 'p-gone', sourceIdKind: 'id' },
      ], { runId: 'link' });
      const seen = new Map<string, MarkWriteOp>();
      const writeMarks = (ops: readonly MarkWriteOp[]): Promise<WriteResult[]> => {
        for (const op of ops) seen.set(op.record.id, op);
        // The first mark is written anew (its old platform mark was gone): a new id.
        return Promise.resolve(ops.map((op) => ({ operationId: op.operationId, status: 'applied', sourceId: op.record.id === first.id ? 'p-new' : (op.existingSourceId ?? `t-${op.record.id}`) })));
      };
      const connector = { declaration: { capabilities: ['marks.write'] }, writeMarks } as unknown as Connector;
      await gradePush({ store, source: { system: source.system, instance: source.instance }, target: { connector, system: 'epos', instance: 'target' }, school: { id: 's1' }, runId: 'push', now: '2025-09-02T12:00:00Z' });
      expect(seen.get(first.id)?.targetIds.otherSlotMark).toBe('p-second');
      expect(seen.get(second.id)?.targetIds.otherSlotMark).toBe('p-gone');
      expect((await store.sourceIdsFor('epos', 'target', 'mark', [first.id])).get(first.id)).toBe('p-new');
      expect((await store.resolve('epos', 'target', 'mark', ['p-gone'])).get('p-gone')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
