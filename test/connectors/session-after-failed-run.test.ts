// A run that fails while other requests are still in flight must not leave a live session behind: those requests
// come back 401 after the connector logged out, and the HTTP layer used to log in again for them — a session nobody
// ends (on АСУ РСО the next run then meets «Под вашим логином работает кто-то другой»).
import { expect, it } from 'vitest';
import { withConnector, type Connector } from '../../src/connectors/contract.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startAsursoEmulator } from '../../src/emulators/asurso/index.js';
import { startEposEmulator, type EposEmulator } from '../../src/emulators/epos/index.js';
import { connectorFor as asursoConnector } from '../asurso/harness.js';
import { connectorFor as eposConnector } from '../epos/harness.js';
import { startProxy } from '../support/fault-proxy.js';

type ProxyRule = Parameters<typeof startProxy>[1];

const rateLimit = { requestsPerSecond: 500, concurrency: 8 };

/** Reads the school through `connector` until it fails; returns once every request still in flight has settled. */
async function failingRun(connector: Connector, window: { from: string; to: string }): Promise<string> {
  const outcome = await withConnector(connector, async (c) => {
    for await (const _ of c.readSchool({ ...window, capabilities: ['roster.read', 'journal.read'] })) { /* consume */ }
  }).then(() => 'finished', (e: Error) => e.message);
  await new Promise((r) => setTimeout(r, 1500)); // the look-ahead requests (latency ≤ 120 ms) settle
  return outcome;
}

const failSecond = (prefix: string, status: number, body: string): ProxyRule => {
  let n = 0;
  return (r) => (r.path.startsWith(prefix) && ++n === 2 ? { kind: 'respond', status, body, headers: { 'content-type': 'application/json' } } : { kind: 'pass' });
};

it('АСУ РСО: no session is left once the in-flight requests of a failed run settle', async () => {
  const emu = await startAsursoEmulator({ dataset: generateSchool({ seed: 7, pupils: 20, weeks: 1 }), faults: { latencyMs: [20, 120] } });
  const proxy = await startProxy(emu.baseUrl, failSecond('/webapi/grade/journal?', 400, '{"message":"Неверные параметры фильтра"}'));
  try {
    const outcome = await failingRun(asursoConnector({ ...emu, baseUrl: proxy.baseUrl } as typeof emu, { role: 'teacher', rateLimit }), { from: '2025-09-01', to: '2025-09-07' });
    expect(outcome).not.toBe('finished');
    expect(emu.liveSessions()).toBe(0);
  } finally {
    await proxy.close();
    await emu.close();
  }
}, 60_000);

it('ЭПОС: no session is left once the in-flight requests of a failed run settle', async () => {
  const school = generateSchool({ seed: 7, pupils: 30, weeks: 2, timeZone: 'Asia/Yekaterinburg' });
  const emu = await startEposEmulator({ dataset: school, faults: { latencyMs: [20, 120] } });
  const proxy = await startProxy(emu.baseUrl, failSecond('/core/api/marks', 404, '{"code":404,"message":"Ресурс не найден"}'));
  try {
    const outcome = await failingRun(eposConnector({ ...emu, baseUrl: proxy.baseUrl } as EposEmulator, { rateLimit }), { from: '2025-09-01', to: '2025-09-14' });
    expect(outcome).not.toBe('finished');
    expect(emu.sessionCount()).toBe(0);
  } finally {
    await proxy.close();
    await emu.close();
  }
}, 60_000);
