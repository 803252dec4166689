// The demo's region: the four platform emulators serving one synthetic school — Дневник.ру as the system of
// record holding the journal, АСУ РСО, ЭПОС.Школа and ЭлЖур holding roster and timetable only — and the
// gateway configuration that points at them (embedded store, two backup directories, a signing key).
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfigText } from '../../config/load.js';
import type { GatewayConfig } from '../../config/schema.js';
import { getPlatform } from '../../connectors/registry.js';
import { generateSchool, type SyntheticSchool } from '../../emulators/dataset/index.js';
import type { EljurEmulator } from '../../emulators/eljur/index.js';
import { asursoInstance, dnevnikInstance, eljurInstance, eposInstance, gatewayYaml } from '../../emulators/kit/gateway-yaml.js';
import type { RunningEmulator } from '../../emulators/kit/types.js';

export const SCHOOL_ID = 'demo-school';
export const INSTANCES = { sor: 'dnevnik', asurso: 'asurso', epos: 'epos', eljur: 'eljur' } as const;

export interface DemoRegion {
  school: SyntheticSchool;
  config: GatewayConfig;
  window: { from: string; to: string };
  emulators: { dnevnik: RunningEmulator; asurso: RunningEmulator; epos: RunningEmulator; eljur: EljurEmulator };
  backupDirs: string[];
  close(): Promise<void>;
}

export async function startDemoRegion(opts: { seed: number; pupils: number; weeks: number; dataDir: string; databaseUrl?: string; schema?: string }): Promise<DemoRegion> {
  const school = generateSchool({ seed: opts.seed, pupils: opts.pupils, weeks: opts.weeks });
  const started: RunningEmulator[] = [];
  const start = async <E extends RunningEmulator>(platform: string, emptyJournal: boolean) => {
    const e = (await getPlatform(platform).emulator.start({ dataset: school, emptyJournal })) as E;
    started.push(e);
    return e;
  };
  try {
    const emulators = {
      dnevnik: await start('dnevnik', false),
      asurso: await start('asurso', true),
      epos: await start('epos', true),
      eljur: await start<EljurEmulator>('eljur', true),
    };
    const window = school.lessonWindow();
    // The emulators are local: a generous budget, so the demo measures the gateway, not a rate limit.
    const rps = 400;
    const entries = [
      dnevnikInstance(INSTANCES.sor, emulators.dnevnik, rps), asursoInstance(INSTANCES.asurso, emulators.asurso, rps),
      eposInstance(INSTANCES.epos, emulators.epos, rps), eljurInstance(INSTANCES.eljur, emulators.eljur, rps),
    ];
    const names = Object.values(INSTANCES);
    const keyFile = path.join(opts.dataDir, 'keys', 'backup-ed25519.pem');
    mkdirSync(path.dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const backupDirs = [path.join(opts.dataDir, 'backup-room-1'), path.join(opts.dataDir, 'backup-room-2')];
    // Made here, as an operator makes them once on each mounted medium: the gateway never makes a destination's directory.
    for (const d of backupDirs) mkdirSync(d, { recursive: true });
    const yaml = gatewayYaml({
      instances: entries, names: [],
      store: opts.databaseUrl ? `  databaseUrl: "${opts.databaseUrl}"\n  schema: ${opts.schema ?? 'jg_demo'}` : `  dataDir: "${opts.dataDir}"`,
      schools: [{
        id: SCHOOL_ID, sor: INSTANCES.sor, targets: [INSTANCES.asurso, INSTANCES.epos],
        platforms: entries.map((e, i) => ({ instance: names[i], schoolId: e.schoolId })),
      }],
      extra: `backup:
  signingKeyFile: "${keyFile}"
  # The demo's two "media" are two directories of one disk; a region's are two devices (R-33).
  allowOneDevice: true
  destinations:
    - { name: room-1, medium: disk-a, room: "серверная 1", path: "${backupDirs[0]}" }
    - { name: room-2, medium: disk-b, room: "серверная 2", path: "${backupDirs[1]}" }`,
    });
    const config = parseConfigText(yaml, 'demo-region.yaml');
    return { school, config, window, emulators, backupDirs, close: async () => { for (const e of started) await e.close(); } };
  } catch (e) {
    for (const s of started) await s.close();
    throw e;
  }
}
