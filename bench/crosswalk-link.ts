// How fast `store.link` opens a first load's crosswalk rows on PostgreSQL: one call of N new links (parts of 5,000,
// two written at once) against the same links given one part per call (one part at a time, as before 2026-12-05).
// Synthetic ids only; each run has its own schema, dropped at the end. Prints µs a link for both and their ratio.
//
//   npx tsx bench/crosswalk-link.ts [links]        default 600,000 (a 1,000-pupil school-year's marks and more)
//
// Measured 2026-12-05 (quiet 2-core machine): 600,000 links 9.7 s in one call (16 µs a link); 300,000 one part per
// call 7.8–8.4 s (26–28 µs a link), in one call 4.9–5.6 s (16.5–18.8 µs): ×1.5. 50,000 / 150,000 / 600,000: 31.9 /
// 26.0 / 26.6 µs one part per call, 20.4 / 16.6 / 17.7 µs in one call — a link's cost does not grow with the count.
import { randomUUID } from 'node:crypto';
import { findPostgres } from '../src/infra/postgres-probe.js';
import { dropSchema, openStore } from '../src/store/open-store.js';
import type { CrosswalkLink } from '../src/store/index.js';

const N = Number(process.argv[2] ?? 600_000);
const url = await findPostgres();
if (!url) {
  process.stderr.write('crosswalk-link bench: no PostgreSQL answers (set DATABASE_URL); PGlite writes one part at a time, so there is nothing to compare\n');
  process.exit(0);
}
const links = (prefix: string): CrosswalkLink[] => Array.from({ length: N }, (_, i) => ({
  entity: 'mark', canonicalId: randomUUID(), system: 'dnevnik', instance: 'bench', sourceId: `${prefix}${i}:${(i * 7919) % 100_003}`, sourceIdKind: 'mark', matchRule: 'natural_key',
}));

async function timed(label: string, write: (store: Awaited<ReturnType<typeof openStore>>, list: CrosswalkLink[]) => Promise<unknown>) {
  const schema = `jg_bench_link_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const store = await openStore({ databaseUrl: url, schema });
  try {
    const list = links(label);
    const t0 = performance.now();
    await write(store, list);
    const seconds = (performance.now() - t0) / 1000;
    return { label, seconds: Math.round(seconds * 100) / 100, microsecondsPerLink: Math.round((seconds * 1e7) / N) / 10 };
  } finally {
    await store.close();
    await dropSchema(url!, schema);
  }
}

const perPart = await timed('one part per call', async (store, list) => {
  for (let i = 0; i < list.length; i += 5000) await store.link(list.slice(i, i + 5000), { runId: 'bench' });
});
const oneCall = await timed('one call', (store, list) => store.link(list, { runId: 'bench' }));
process.stdout.write(`${JSON.stringify({ links: N, perPart, oneCall, ratio: Math.round((perPart.seconds / oneCall.seconds) * 100) / 100 }, null, 2)}\n`);
