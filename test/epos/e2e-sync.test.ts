// ЭПОС through the gateway's own sync (the same processors as the scheduled jobs): roster sync, then journal
// sync into an in-memory store — every record placed, nothing quarantined by a rule or as an orphan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startEposEmulator, type EposEmulator } from '../../src/emulators/epos/index.js';
import { createLogger } from '../../src/infra/logger.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { gatewayYaml } from '../support/emulator-configs.js';

let emu: EposEmulator;
let store: CanonicalStore;

beforeAll(async () => {
  emu = await startEposEmulator({ dataset: generateSchool({ seed: 3, pupils: 30, weeks: 2, timeZone: 'Asia/Yekaterinburg' }) });
  store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
});
afterAll(async () => {
  await store?.close();
  await emu?.close();
});

describe('ЭПОС through roster and journal sync', () => {
  it('roster sync then journal sync place every record: no rule violation, no orphan', async () => {
    const admin = emu.info.accounts.find((a) => a.role === 'administrator')!;
    const yaml = `  - instance: epos-perm
    platform: epos
    baseUrl: ${emu.baseUrl}
    auth: { kind: password, login: "${admin.login}", password: "${admin.password}" }
    rateLimit: { requestsPerSecond: 300, concurrency: 4 }
    options: { timeZone: Asia/Yekaterinburg }`;
    const config = parseConfigText(gatewayYaml({ instances: [{ yaml, schoolId: String(emu.info.schoolId) }], names: ['epos-perm'], schools: [{ id: 's1', sor: 'epos-perm', platforms: [{ instance: 'epos-perm', schoolId: String(emu.info.schoolId) }] }] }), 't.yaml');
    const ctx: JobContext = { config, store, logger: createLogger({ level: 'silent', pretty: false }), close: async () => {} };
    const [roster] = await runJob('roster-sync', { schoolId: 's1' }, ctx);
    expect(roster.quarantined).toBe(0);
    expect(roster.created).toBeGreaterThan(300);
    const [journal] = await runJob('journal-sync', { schoolId: 's1', window: { from: '2025-09-01', to: '2025-09-14' } }, ctx);
    expect(journal.quarantineReasons).toEqual({});
    expect(journal.created).toBeGreaterThan(1000);
  }, 120_000);
});
