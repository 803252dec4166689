// How the gateway's YAML config reaches a running emulator: one instance entry per platform, built from
// the emulator's startup info (the JSON line `journal-gateway emulate` prints).
import type { RunningEmulator } from '../../src/emulators/kit/types.js';

export interface InstanceYaml {
  yaml: string;
  schoolId: string;
}

export function dnevnikInstance(name: string, emu: Pick<RunningEmulator, 'baseUrl' | 'info'>, rps = 200, windowMarginMs?: number): InstanceYaml {
  const info = emu.info as Record<string, any>;
  const admin = info.accounts.find((a: { role: string }) => a.role === 'administrator');
  return {
    schoolId: String(info.schoolId),
    yaml: `  - instance: ${name}
    platform: dnevnik
    baseUrl: ${emu.baseUrl}
    auth: { kind: password, clientId: "${info.clientId}", clientSecret: "${info.clientSecret}", username: "${admin.login}", password: "${admin.password}" }
    rateLimit: { requestsPerSecond: ${rps}, concurrency: 4${windowMarginMs !== undefined ? `, windowMarginMs: ${windowMarginMs}` : ''} }`,
  };
}

/** An АСУ РСО instance entry: the teacher account reads the whole school through the journal routes. */
export function asursoInstance(name: string, emu: RunningEmulator, rps = 200): InstanceYaml {
  const info = emu.info as Record<string, any>;
  const acc = info.accounts.find((a: { role: string }) => a.role === 'administrator') ?? info.accounts.find((a: { role: string }) => a.role === 'teacher');
  return {
    schoolId: String(info.schoolId),
    yaml: `  - instance: ${name}
    platform: asurso
    baseUrl: ${emu.baseUrl}
    options: { schoolId: ${info.schoolId} }
    auth: { kind: password, login: "${acc.login}", password: "${acc.password}" }
    rateLimit: { requestsPerSecond: ${rps}, concurrency: 4 }`,
  };
}

/** An ЭПОС instance entry (password login of the school's administrator profile). */
export function eposInstance(name: string, emu: RunningEmulator, rps = 200): InstanceYaml {
  const info = emu.info as Record<string, any>;
  const admin = info.accounts.find((a: { role: string }) => a.role === 'administrator');
  return {
    schoolId: String(info.schoolId),
    yaml: `  - instance: ${name}
    platform: epos
    baseUrl: ${emu.baseUrl}
    auth: { kind: password, login: "${admin.login}", password: "${admin.password}" }
    rateLimit: { requestsPerSecond: ${rps}, concurrency: 4 }
    options: { timeZone: ${info.timeZone} }`,
  };
}

export function gatewayYaml(opts: {
  instances: InstanceYaml[]; names: string[];
  /** `settings`: further school keys as YAML flow pairs, e.g. `journalWindowDays: 6, journalSweepDays: 7`. */
  schools: { id: string; sor: string; targets?: string[]; platforms: { instance: string; schoolId: string }[]; schedules?: string; settings?: string }[];
  store?: string;
  /** Extra top-level YAML (e.g. a `sync:` section). */
  extra?: string;
}): string {
  return `region: { id: test, name: Тестовый регион }
store:
${opts.store ?? '  dataDir: "memory://"'}
logging: { level: warn }
platforms:
${opts.instances.map((i) => i.yaml).join('\n')}
schools:
${opts.schools.map((s) => `  - id: ${s.id}
    name: Школа ${s.id}
    timeZone: Europe/Samara
    systemOfRecord: ${s.sor}
    pushTargets: [${(s.targets ?? []).join(', ')}]
    platforms: [${s.platforms.map((p) => `{ instance: ${p.instance}, schoolId: "${p.schoolId}" }`).join(', ')}]
${s.schedules ? `    schedules: ${s.schedules}\n` : ''}${s.settings ? s.settings.split(/,\s*/).map((kv) => `    ${kv}`).join('\n') : ''}`).join('\n')}
${opts.extra ?? ''}
`;
}
