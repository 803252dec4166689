// A school whose nightly syncs ran through a year-end (Дневник.ру, instance `dn`, the system of record of school `s1`),
// about to move: last year's roster and journal were read over `lastYear`, then 1 September's roster (the leavers
// accepted and deleted at their second miss, as an operator would). Then Дневник.ру serves the new year (and last
// year's groups by id) and the target its roster only, in a config naming both (test/sync/migrate-*two-years*).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { DnevnikWorld, startDnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { InstanceYaml } from '../../src/emulators/kit/gateway-yaml.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { openStore } from '../../src/store/index.js';
import { dnevnikInstance, gatewayYaml } from './emulator-configs.js';
import type { Rollover } from './rollover.js';
import { aDayLater, runOnSor } from './rollover-store.js';

export interface TwoYearsMove<T extends RunningEmulator> { dir: string; storeDir: string; config: string; source: RunningEmulator; target: T; close(): Promise<void> }

export async function twoYearsMove<T extends RunningEmulator>(
  roll: Rollover, lastYear: { from: string; to: string },
  to: { name: string; start: (dataset: SyntheticSchool) => Promise<T>; instance: (name: string, emu: T, rps: number) => InstanceYaml },
): Promise<TwoYearsMove<T>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-migrate-two-years-'));
  const dataDir = path.join(dir, 'data');
  // Where the command opens the config's store: `<dataDir>/store` (job-context.ts).
  const storeDir = path.join(dataDir, 'store');
  const oldWorld = new DnevnikWorld(roll.old.records);
  const sor = (dataset: SyntheticSchool) => ({
    name: 'dn', instance: dnevnikInstance,
    start: () => startDnevnikEmulator({ dataset, ...(dataset === roll.next ? { previousYear: oldWorld } : {}) }),
  });
  const store = await openStore({ databaseUrl: null, dataDir: storeDir });
  try {
    await runOnSor(store, sor(roll.old), 'roster-sync', { window: lastYear });
    await runOnSor(store, sor(roll.old), 'journal-sync', { window: lastYear });
    const first = await runOnSor(store, sor(roll.next), 'roster-sync');
    await runOnSor(store, sor(roll.next), 'roster-sync', { acceptDeletes: first.deletesToAccept });
    await aDayLater(store, 'dnevnik_ru', 'dn');
    await runOnSor(store, sor(roll.next), 'roster-sync');
  } finally {
    await store.close();
  }
  const source = await startDnevnikEmulator({ dataset: roll.next, previousYear: oldWorld });
  const target = await to.start(roll.next);
  const a = dnevnikInstance('dn', source, 500);
  const b = to.instance(to.name, target, 500);
  const config = path.join(dir, 'gateway.yaml');
  writeFileSync(config, gatewayYaml({
    instances: [a, b], names: [], store: `  dataDir: "${dataDir}"`,
    schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: a.schoolId }, { instance: to.name, schoolId: b.schoolId }] }],
  }));
  return {
    dir, storeDir, config, source, target,
    close: async () => {
      await source.close();
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
