// How the gateway's YAML config reaches a running emulator: one instance entry per platform, built from
// the emulator's startup info (the JSON line `journal-gateway emulate` prints). Used by the demo and the tests.
import type { RunningEmulator } from './types.js';

export interface InstanceYaml {
  yaml: string;
  schoolId: string;
}

type Info = Record<string, any>;
const account = (info: Info, ...roles: string[]) => roles.map((r) => info.accounts.find((a: { role: string }) => a.role === r)).find(Boolean);

/** One `platforms[]` entry; `auth` and `options` are YAML flow maps. */
function entry(name: string, platform: string, emu: Pick<RunningEmulator, 'baseUrl'>, schoolId: unknown, auth: string, rateLimit: string, options?: string): InstanceYaml {
  return {
    schoolId: String(schoolId),
    yaml: [`  - instance: ${name}`, `    platform: ${platform}`, `    baseUrl: ${emu.baseUrl}`, `    auth: ${auth}`, `    rateLimit: ${rateLimit}`, ...(options ? [`    options: ${options}`] : [])].join('\n'),
  };
}
const budget = (rps: number, windowMarginMs?: number) => `{ requestsPerSecond: ${rps}, concurrency: 4${windowMarginMs !== undefined ? `, windowMarginMs: ${windowMarginMs}` : ''} }`;

export function dnevnikInstance(name: string, emu: Pick<RunningEmulator, 'baseUrl' | 'info'>, rps = 200, windowMarginMs?: number): InstanceYaml {
  const info = emu.info as Info;
  const admin = account(info, 'administrator');
  return entry(name, 'dnevnik', emu, info.schoolId,
    `{ kind: password, clientId: "${info.clientId}", clientSecret: "${info.clientSecret}", username: "${admin.login}", password: "${admin.password}" }`, budget(rps, windowMarginMs));
}

/** An АСУ РСО instance entry: the teacher account reads the whole school through the journal routes. */
export function asursoInstance(name: string, emu: RunningEmulator, rps = 200): InstanceYaml {
  const info = emu.info as Info;
  const acc = account(info, 'administrator', 'teacher');
  return entry(name, 'asurso', emu, info.schoolId, `{ kind: password, login: "${acc.login}", password: "${acc.password}" }`, budget(rps), `{ schoolId: ${info.schoolId} }`);
}

/** An ЭПОС instance entry (password login of the school's administrator profile). */
export function eposInstance(name: string, emu: RunningEmulator, rps = 200): InstanceYaml {
  const info = emu.info as Info;
  const admin = account(info, 'administrator');
  return entry(name, 'epos', emu, info.schoolId, `{ kind: password, login: "${admin.login}", password: "${admin.password}" }`, budget(rps), `{ timeZone: ${info.timeZone} }`);
}

/** An ЭлЖур instance entry (the administrator's credentials; devkey and vendor from the startup line). */
export function eljurInstance(name: string, emu: RunningEmulator, rps = 200): InstanceYaml {
  const info = emu.info as Info;
  const admin = account(info, 'administrator');
  return entry(name, 'eljur', emu, info.vendor, `{ kind: credentials, login: "${admin.login}", password: "${admin.password}" }`, budget(rps),
    `{ devkey: "${info.devkey}", vendor: "${info.vendor}", timeZone: ${info.timeZone} }`);
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
