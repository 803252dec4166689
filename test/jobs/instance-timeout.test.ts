// An instance's `timeoutMs` is what each attempt may take. It was read from the config and then not passed to the
// connectors, so every attempt against a platform that stopped answering waited the default 30 s.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { connectorFor } from '../../src/jobs/job-context.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { startProxy } from '../support/fault-proxy.js';
import { waitFor } from '../support/wait-for.js';

describe('an instance’s timeoutMs', () => {
  it('a platform that never answers: each attempt gives up after the configured second and is tried again', async () => {
    const emu = await startDnevnikEmulator({ seed: 1, pupils: 5, weeks: 1 });
    const proxy = await startProxy(emu.baseUrl, () => ({ kind: 'hang' }));
    const inst = dnevnikInstance('dn', { ...emu, baseUrl: proxy.baseUrl });
    const cfg = parseConfigText(gatewayYaml({ instances: [{ ...inst, yaml: `${inst.yaml}\n    timeoutMs: 1000` }], names: [], schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }] }] }), 'test.yaml');
    const { connector } = connectorFor(cfg, 'dn', createLogger({ level: 'silent' }));
    const login = connector.open().catch((e: unknown) => e);
    try {
      // With the 30 s default a second attempt could not start within 20 s.
      await waitFor('a second attempt after a 1 s timeout', () => proxy.log.length >= 2, 20_000);
    } finally {
      await proxy.close();
      await emu.close();
      await login;
    }
  }, 60_000);
});
