// Sync benchmark (issue 7): requests and wall time of a full sync (roster + the whole journal period)
// against a nightly delta (the journal of the last 7 days; the roster snapshot is weekly) for several
// schools, each on its own Дневник.ру emulator. The Russian platforms have no change feed, so a delta
// is a shorter read window, and its cost does not depend on how many marks changed.
//
//   npx tsx bench/sync.ts [schools=4] [pupils=200] [weeks=8]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfigText } from '../src/config/load.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../src/emulators/dnevnik/index.js';
import { createLogger } from '../src/infra/logger.js';
import { runJob } from '../src/jobs/processors.js';
import { addDays } from '../src/model/dates.js';
import { openStore } from '../src/store/index.js';
import { dnevnikInstance, gatewayYaml } from '../test/support/emulator-configs.js';

const [schools, pupils, weeks] = [Number(process.argv[2] ?? 4), Number(process.argv[3] ?? 200), Number(process.argv[4] ?? 8)];
const here = path.dirname(fileURLToPath(import.meta.url));
const START = '2025-09-01';
const END = addDays(START, weeks * 7 - 1);

const emulators: DnevnikEmulator[] = [];
for (let i = 0; i < schools; i++) emulators.push(await startDnevnikEmulator({ seed: 100 + i, pupils, weeks }));
const instances = emulators.map((e, i) => dnevnikInstance(`dn-${i}`, e, 1000));
const config = parseConfigText(gatewayYaml({
  instances, names: [], schools: instances.map((inst, i) => ({ id: `school-${i}`, sor: `dn-${i}`, platforms: [{ instance: `dn-${i}`, schoolId: inst.schoolId }] })),
}), 'bench');
const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
const ctx = { config, store, logger: createLogger({ level: 'silent', pretty: false }), close: async () => {} };
const requests = () => emulators.reduce((n, e) => n + e.stats().total, 0);

async function phase(name: string, jobs: [Parameters<typeof runJob>[0], { from: string; to: string }][]) {
  const r0 = requests();
  const t0 = performance.now();
  let records = 0;
  for (let i = 0; i < schools; i++) {
    for (const [kind, window] of jobs) {
      for (const s of await runJob(kind, { schoolId: `school-${i}`, window }, ctx)) records += s.created + s.updated + s.unchanged;
    }
  }
  return { name, requests: requests() - r0, seconds: (performance.now() - t0) / 1000, records };
}

const full = await phase('full sync (roster + whole journal)', [['roster-sync', { from: START, to: END }], ['journal-sync', { from: START, to: END }]]);
const delta = await phase('nightly delta (journal, last 7 days)', [['journal-sync', { from: addDays(END, -6), to: END }]]);
const weekly = await phase('weekly roster snapshot', [['roster-sync', { from: START, to: END }]]);
const rows = [full, delta, weekly];
const lines = [
  `sync bench: ${schools} schools × ${pupils} pupils, ${weeks} weeks (${START}…${END}), Дневник.ру emulators, embedded store`,
  'phase                                    requests   seconds   records',
  ...rows.map((r) => `${r.name.padEnd(40)} ${String(r.requests).padStart(8)} ${r.seconds.toFixed(1).padStart(9)} ${String(r.records).padStart(9)}`),
  `delta / full requests: ${((delta.requests / full.requests) * 100).toFixed(1)}% (target ≤ 5%); with the weekly roster spread over 7 nights: ${(((delta.requests + weekly.requests / 7) / full.requests) * 100).toFixed(1)}%`,
];
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'sync.json'), `${JSON.stringify({ schools, pupils, weeks, rows }, null, 2)}\n`);
await store.close();
await Promise.all(emulators.map((e) => e.close()));
