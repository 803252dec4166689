// EMULATOR ONLY — no such route exists on a real ЭлЖур. It stands in for the ЭлЖур support team, who load
// an import package into the school's vendor by hand (platforms.md §4.4: no public journal write API).
// `POST /emulator/import` with `{ files: { name: text } }` and the emulator's devkey in `x-emulator-devkey`
// checks the package as the support team would (import-loader.ts) and replaces the school the API serves.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { route, type EmuRoute } from '../kit/index.js';
import { normaliseName } from '../../model/identity.js';
import type { CanonicalRecord, RecordOf } from '../../model/records.js';
import type { EljurWorld } from './world.js';

export const IMPORT_ROUTE = '/emulator/import';

/** Files of an import package directory (file name → text), as the support team receives them. */
export function readPackageDir(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).filter((n) => n.endsWith('.csv') || n.endsWith('.json') || n.endsWith('.md')).map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]));
}

/** The admin route; `load` swaps the served school and returns what was loaded (counts per entity). */
export function importRoute(devkey: string, load: (files: ReadonlyMap<string, string>) => Record<string, number>): EmuRoute {
  return route('POST', IMPORT_ROUTE, (req) => {
    if (req.headers['x-emulator-devkey'] !== devkey) return { status: 403, json: { error: 'x-emulator-devkey does not match the emulator devkey' } };
    const files = (req.body as { files?: unknown } | undefined)?.files;
    if (!files || typeof files !== 'object') return { status: 400, json: { error: 'body must be JSON { files: { "<name>": "<text>" } }' } };
    try {
      return { status: 200, json: { loaded: load(new Map(Object.entries(files as Record<string, string>))) } };
    } catch (e) {
      return { status: 422, json: { error: e instanceof Error ? e.message : String(e) } };
    }
  }, { name: 'emulator-import', noFaults: true });
}

/** Hands a package directory to a running ЭлЖур emulator (what the support team's import is in the demo and tests). */
export async function importIntoEmulator(baseUrl: string, devkey: string, dir: string): Promise<Record<string, number>> {
  const res = await fetch(`${baseUrl}${IMPORT_ROUTE}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-emulator-devkey': devkey },
    body: JSON.stringify({ files: Object.fromEntries(readPackageDir(dir)) }),
  });
  const body = (await res.json()) as { loaded?: Record<string, number>; error?: string };
  if (!res.ok || !body.loaded) throw new Error(`ЭлЖур emulator refused the import package from ${dir}: ${body.error ?? res.status}`);
  return body.loaded;
}

/**
 * Accounts that existed before the import keep their user ids, as the support team loads a package onto the
 * school's existing accounts: a loaded person takes the user id of the one current person with the same
 * full name (and birth date, where the package gives one — staff.csv has none).
 */
export function keptUserIds(current: EljurWorld, loaded: readonly CanonicalRecord[]): Map<string, string> {
  const key = (p: Pick<RecordOf<'person'>, 'familyName' | 'givenName' | 'middleName'>) => [p.familyName, p.givenName, p.middleName].map(normaliseName).join('|');
  const byName = new Map<string, RecordOf<'person'>[]>();
  for (const p of current.persons.values()) (byName.get(key(p)) ?? byName.set(key(p), []).get(key(p))!).push(p);
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const r of loaded) {
    if (r.entity !== 'person') continue;
    const same = (byName.get(key(r)) ?? []).filter((p) => !r.birthDate || p.birthDate === r.birthDate);
    const uid = same.length === 1 ? current.userId.get(same[0].id) : undefined;
    if (uid && !used.has(uid)) {
      out.set(r.id, uid);
      used.add(uid);
    }
  }
  return out;
}
