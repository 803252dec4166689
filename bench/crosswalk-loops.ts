// Crosswalk look-ups per record: how many store statements journal deletes (applyJournalDeletes), releasing link
// clashes held by records of a merged-away pupil (releaseMergedHolders) and `review --unlink-subject` send, for a
// school read over one week and over four. Each looked up and closed every record's links one query at a time;
// with Store.openCrosswalkFor and Store.closeCrosswalkMany the count no longer grows with the records (up to the
// store's batch size). Synthetic records only.
//
//   npx tsx bench/crosswalk-loops.ts [pglite|postgres] [pupils]
import { generateSchool } from '../src/emulators/dataset/index.js';
import type { CanonicalRecord } from '../src/model/index.js';
import { applyJournalDeletes } from '../src/sync/journal-deletes.js';
import { releaseMergedHolders } from '../src/sync/link-clashes.js';
import { unlinkSubject } from '../src/sync/unlink-subject.js';
import { linkOf, measure, openBenchStore, type Backend } from './kit/query-count.js';

const backend = (process.argv[2] ?? 'pglite') as Backend;
const PUPILS = Number(process.argv[3] ?? 30);

async function withSchool<T>(weeks: number, fn: (store: Awaited<ReturnType<typeof openBenchStore>>['store'], records: CanonicalRecord[]) => Promise<T>): Promise<T> {
  const { store, close } = await openBenchStore(backend);
  try {
    const school = generateSchool({ seed: 3, pupils: PUPILS, weeks });
    await store.upsertMany(school.records, { runId: 'r0' });
    await store.link(school.records.filter((r) => r.sourceRefs.length > 0).map(linkOf), { runId: 'r0' });
    return await fn(store, school.records);
  } finally {
    await close();
  }
}

const runOf = (records: CanonicalRecord[]) => ({ system: records[0].sourceRefs[0].system, instance: records[0].sourceRefs[0].instance, runId: 'bench', mapperVersion: 'bench' });
const marksOf = (records: CanonicalRecord[]) => records.filter((r) => r.entity === 'mark' && r.sourceRefs.length > 0);

for (const weeks of [1, 4]) {
  const deletes = await withSchool(weeks, async (store, records) => {
    const ids = marksOf(records).map((r) => r.id);
    const m = await measure(store, () => applyJournalDeletes(store, { deletes: new Map([['mark', ids]]), scope: ids.length }, runOf(records) as never));
    return { ...m, n: ids.length };
  });
  console.log(`${backend}: journal deletes of ${deletes.n} marks: ${deletes.queries} queries, ${deletes.ms} ms`);

  const clashes = await withSchool(weeks, async (store, records) => {
    const marks = marksOf(records) as (CanonicalRecord & { studentId: string })[];
    const run = runOf(records);
    // Every pupil merged away: the marks the read made for them hold platform ids a new read wants.
    await store.deleteMany('person', [...new Set(marks.map((r) => r.studentId))], { reason: 'merged', evidence: 'bench', runId: 'r0' });
    const list = marks.map((r) => ({ entity: 'mark', sourceId: r.sourceRefs[0].sourceId, holder: r.id }));
    let released = 0;
    const m = await measure(store, async () => { released = (await releaseMergedHolders(store, run, list)).size; });
    if (released !== list.length) throw new Error(`released ${released} of ${list.length}`);
    return { ...m, n: list.length };
  });
  console.log(`${backend}: link clashes released for ${clashes.n} marks of merged pupils: ${clashes.queries} queries, ${clashes.ms} ms`);

  const unlink = await withSchool(weeks, async (store, records) => {
    const subject = records.find((r) => r.entity === 'subject') as CanonicalRecord & { title: string; organizationId: string };
    const run = runOf(records);
    let unlinked = 0;
    const m = await measure(store, async () => {
      const r = await unlinkSubject({ store, system: run.system, instance: subject.provenance.instance, title: subject.title, organizationId: subject.organizationId, runId: 'bench' });
      unlinked = Object.values(r.unlinked).reduce((a, b) => a + (b ?? 0), 0);
    });
    return { ...m, n: unlinked };
  });
  console.log(`${backend}: unlink-subject closing ${unlink.n} links: ${unlink.queries} queries, ${unlink.ms} ms`);
}
