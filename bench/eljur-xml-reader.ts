// ЭлЖур XML reader alone (issue 6): how fast src/mappers/eljur/xml.ts turns the emulator's XML pages into the
// JSON shape, against JSON.parse of the same data — without the network, the rate budget or the mapper, so the
// figure moves less with the machine's load than bench/eljur.ts does.
//
//   npx tsx bench/eljur-xml-reader.ts        (BENCH_PUPILS, default 300; BENCH_ROUNDS, default 5)
import { createEljurConnector, eljurConfig } from '../src/connectors/eljur/index.js';
import { generateSchool } from '../src/emulators/dataset/index.js';
import { startEljurEmulator } from '../src/emulators/eljur/index.js';
import { parseEljurXml } from '../src/mappers/eljur/xml.js';

const pupils = Number(process.env.BENCH_PUPILS ?? 300);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const school = generateSchool({ seed: 1, pupils, weeks: 2 });
const emu = await startEljurEmulator({ dataset: school });
const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
const dates = school.all('lesson').map((l) => l.date).sort();

/** Every page of a two-week read, as the connector received it. */
async function pages(format: 'json' | 'xml'): Promise<Map<string, string[]>> {
  const connector = createEljurConnector(eljurConfig.parse({
    baseUrl: emu.baseUrl, devkey: emu.info.devkey, vendor: emu.info.vendor, format, timeZone: emu.info.timeZone,
    auth: { kind: 'credentials', login: admin.login, password: admin.password }, rateLimit: { requestsPerSecond: 1000, concurrency: 8 },
  }), { instance: `reader-bench-${format}` });
  const byRoute = new Map<string, string[]>();
  await connector.open();
  try {
    for await (const b of connector.readSchool({ from: dates[0], to: dates.at(-1)! })) {
      const text = typeof b.payload === 'string' ? b.payload : JSON.stringify(b.payload);
      (byRoute.get(b.route) ?? byRoute.set(b.route, []).get(b.route)!).push(text);
    }
  } finally {
    await connector.close();
  }
  return byRoute;
}

const [xml, json] = [await pages('xml'), await pages('json')];
await emu.close();

/** Median over rounds of the time to read every page of a route (after a warm-up round, which also takes any
 * diary page the connector handed over to its mapper). */
function median(read: (text: string) => unknown, texts: string[]): number {
  for (const t of texts) read(t);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const t of texts) read(t);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

console.log(`${pupils} pupils, 2 weeks (${dates[0]} … ${dates.at(-1)}), median of ${rounds} rounds`);
console.log('route'.padEnd(22), 'pages', 'XML MB'.padStart(8), 'XML ms'.padStart(8), 'XML MB/s'.padStart(9), 'JSON.parse ms'.padStart(14), 'ratio'.padStart(6));
for (const [route, texts] of xml) {
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 2 ** 20;
  const xmlMs = median(parseEljurXml, texts);
  const jsonMs = median((t) => JSON.parse(t), json.get(route) ?? []);
  console.log(route.padEnd(22), String(texts.length).padStart(5), mb.toFixed(2).padStart(8), xmlMs.toFixed(0).padStart(8), (mb / (xmlMs / 1000)).toFixed(1).padStart(9), jsonMs.toFixed(0).padStart(14), (xmlMs / jsonMs).toFixed(1).padStart(6));
}
