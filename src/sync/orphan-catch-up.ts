// Orphans caught up. A journal read quarantines a mark whose pupil the roster has not brought in (C.4 #6): a pupil
// enrolled after the last roster sync, or one waiting in the review queue for an operator. Once the roster links
// them, a nightly re-reads their days only when the recent window or the sweep reaches them — for older days a
// whole sweep cycle later. So every journal read remembers what it left out: per unknown platform reference, the
// days of the records that pointed at it (cursor `journal-orphans|<school>`). A scheduled read then asks the
// crosswalk which of them are known now and reads their days again at once; a reference still unknown stays
// remembered for ORPHAN_MEMORY_DAYS. The entries hold platform ids and days only, never names.
// A record held because the group or term it names is linked to another school year's record (a platform id kept
// across years, journal-year-links.ts) is remembered the same way with its year: caught up once the id is linked to a
// record of that year (the new year's first roster sync), not merely known.
import { addDays } from '../model/dates.js';
import type { CanonicalRecord } from '../model/records.js';
import type { Store } from '../store/index.js';
import { schoolYearOf, yearReferences } from './school-year-of.js';
import type { DateWindow } from './nightly-plan.js';
import type { RunIdentity } from './reference-resolver.js';

export const orphansCursorKey = (schoolId: string) => `journal-orphans|${schoolId}`;
/** How long a reference nobody links is remembered (a pupil the roster never brings in, a typo'd id). */
export const ORPHAN_MEMORY_DAYS = 120;
/** At most this many references are remembered (the newest); a school past it has a roster problem to fix first. */
export const ORPHAN_MEMORY_LIMIT = 2_000;

/** A reference a journal read could not resolve, and what pointed at it. */
export interface OrphanEntry {
  /** The roster entity referenced (`person`, `section`, …) and its platform id. */
  entity: string;
  sourceId: string;
  /** Days of the records left out (their mark, lesson or assignment day); absent when only final marks were. */
  from?: string;
  to?: string;
  /** Final marks pointed at it: read them again too. */
  finals?: boolean;
  /** Held for a link to another school year's record: caught up only once the link names a record of this year. */
  year?: number;
  /** When it was first left out (UTC ISO). */
  since: string;
}

const keyOf = (e: Pick<OrphanEntry, 'entity' | 'sourceId'>) => `${e.entity}|${e.sourceId}`;

function parse(value: string | null | undefined): OrphanEntry[] {
  if (!value) return [];
  try {
    const list = JSON.parse(value) as unknown;
    return Array.isArray(list) ? (list as OrphanEntry[]).filter((e) => e && typeof e.entity === 'string' && typeof e.sourceId === 'string') : [];
  } catch {
    return []; // an unreadable memory costs a sweep cycle of waiting, as before it existed — never a failed run
  }
}

/** `a` widened by `b`'s days and flags; the earlier `since` is kept. */
function merged(a: OrphanEntry, b: OrphanEntry): OrphanEntry {
  const from = [a.from, b.from].filter(Boolean).sort()[0];
  const to = [a.to, b.to].filter(Boolean).sort().at(-1);
  const year = b.year ?? a.year;
  return { entity: a.entity, sourceId: a.sourceId, ...(from ? { from, to } : {}), ...(a.finals || b.finals ? { finals: true } : {}), ...(year !== undefined ? { year } : {}), since: a.since < b.since ? a.since : b.since };
}

async function load(store: Store, run: Pick<RunIdentity, 'system' | 'instance'>, schoolId: string): Promise<OrphanEntry[]> {
  return parse((await store.getCursor(run.system, run.instance, orphansCursorKey(schoolId)))?.value);
}

async function save(store: Store, run: Pick<RunIdentity, 'system' | 'instance' | 'runId'>, schoolId: string, list: OrphanEntry[]): Promise<void> {
  await store.setCursor({ system: run.system, instance: run.instance, entity: orphansCursorKey(schoolId), kind: 'none', value: list.length ? JSON.stringify(list) : '', runId: run.runId });
}

/** Adds what a journal read left out to the school's memory, forgetting entries past ORPHAN_MEMORY_DAYS. */
export async function rememberOrphans(store: Store, run: RunIdentity, schoolId: string, found: readonly OrphanEntry[], now: string): Promise<void> {
  const old = await load(store, run, schoolId);
  if (!found.length && !old.length) return;
  const byKey = new Map(old.map((e) => [keyOf(e), e]));
  for (const e of found) {
    const had = byKey.get(keyOf(e));
    byKey.set(keyOf(e), had ? merged(had, e) : e);
  }
  const oldest = addDays(now.slice(0, 10), -ORPHAN_MEMORY_DAYS);
  const kept = [...byKey.values()].filter((e) => e.since.slice(0, 10) >= oldest).sort((a, b) => (a.since < b.since ? 1 : -1)).slice(0, ORPHAN_MEMORY_LIMIT);
  await save(store, run, schoolId, kept);
}

export interface OrphanCatchUp {
  /** Days to read again: those of the references the crosswalk knows now (disjoint, in order). */
  ranges: DateWindow[];
  /** Final marks pointed at one of them. */
  finals: boolean;
  /** The entries caught up: forgotten by {@link settleOrphans} once the read is stored. */
  caught: string[];
}

/** Which remembered references are known now, and the days to read again for them (never before `notBefore`). */
export async function orphanCatchUp(store: Store, run: RunIdentity, schoolId: string, notBefore: string): Promise<OrphanCatchUp> {
  const list = await load(store, run, schoolId);
  const known = await linkedNow(store, run, list);
  const caught = list.filter((e) => known.has(keyOf(e)));
  const spans = caught.flatMap((e) => (e.from && e.to && e.to >= notBefore ? [{ from: e.from < notBefore ? notBefore : e.from, to: e.to }] : []));
  return { ranges: unionOfRanges(spans), finals: caught.some((e) => e.finals), caught: caught.map(keyOf) };
}

/** Forgets the entries a stored read caught up — those the crosswalk still knows (a link undone meanwhile stays). */
export async function settleOrphans(store: Store, run: RunIdentity, schoolId: string, caught: readonly string[]): Promise<void> {
  if (!caught.length) return;
  const wanted = new Set(caught);
  const list = await load(store, run, schoolId);
  const drop = await linkedNow(store, run, list.filter((e) => wanted.has(keyOf(e))));
  const kept = list.filter((e) => !drop.has(keyOf(e)));
  if (kept.length !== list.length) await save(store, run, schoolId, kept);
}

/** The keys of the entries the crosswalk links now: to a record of the entry's school year, where it was held for one. */
async function linkedNow(store: Store, run: RunIdentity, list: readonly OrphanEntry[]): Promise<Set<string>> {
  const out = new Set<string>();
  const ofYear: { e: OrphanEntry; id: string }[] = [];
  for (const entity of new Set(list.map((e) => e.entity))) {
    const mine = list.filter((e) => e.entity === entity);
    const known = await store.resolve(run.system, run.instance, entity, mine.map((e) => e.sourceId));
    for (const e of mine) {
      const id = known.get(e.sourceId);
      if (id === undefined) continue;
      if (e.year === undefined) out.add(keyOf(e));
      else ofYear.push({ e, id });
    }
  }
  if (ofYear.length === 0) return out;
  const records = await store.getMany(ofYear.map((x) => x.id));
  const sessions = await store.getMany([...yearReferences(records.values()).sessions].filter((id) => !records.has(id)));
  const get = (id: string) => records.get(id) ?? sessions.get(id);
  for (const { e, id } of ofYear) if (schoolYearOf(records.get(id), get) === e.year) out.add(keyOf(e));
  return out;
}

/** Date ranges merged where they overlap or touch, in order. */
export function unionOfRanges(ranges: readonly DateWindow[]): DateWindow[] {
  const out: DateWindow[] = [];
  for (const r of [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
    const last = out.at(-1);
    if (last && r.from <= addDays(last.to, 1)) { if (r.to > last.to) last.to = r.to; } else out.push({ ...r });
  }
  return out;
}

/** The days of `ranges` that none of `covered` holds (the nightly reads those anyway), in order. */
export function daysNotCovered(ranges: readonly DateWindow[], covered: readonly DateWindow[]): DateWindow[] {
  let rest = unionOfRanges(ranges);
  for (const c of covered) {
    rest = rest.flatMap((r) => {
      if (c.to < r.from || c.from > r.to) return [r];
      return [...(c.from > r.from ? [{ from: r.from, to: addDays(c.from, -1) }] : []), ...(c.to < r.to ? [{ from: addDays(c.to, 1), to: r.to }] : [])];
    });
  }
  return rest;
}

/**
 * Per unknown reference, the days of the records a read left out for it: the day of each record's lesson (a mark's
 * own day, a work's assignment day where the read lacks the lesson); a final mark only flags that final marks are to
 * be read again.
 */
export class OrphanTally {
  private readonly lessonDays = new Map<string, string>();
  private readonly byRef = new Map<string, Omit<OrphanEntry, 'since'>>();
  constructor(mapped: readonly { records: readonly CanonicalRecord[] }[]) {
    for (const m of mapped) for (const r of m.records) if (r.entity === 'lesson') this.lessonDays.set(r.id, r.date);
  }
  /** `year`: held for a link to another school year's record, not for an unknown reference. */
  add(r: CanonicalRecord, entity: string, sourceId: string, year?: number): void {
    const key = `${entity}|${sourceId}`;
    const e = this.byRef.get(key) ?? this.byRef.set(key, { entity, sourceId }).get(key)!;
    if (year !== undefined) e.year = year;
    if (r.entity === 'final_mark') { e.finals = true; return; }
    // The lesson's day where the read has it: range reads select by lesson day (a mark may be set days later).
    const day = r.entity === 'lesson' ? r.date : r.entity === 'work' ? this.lessonDays.get(r.lessonId) ?? r.assignedDate
      : r.entity === 'mark' ? this.lessonDays.get(r.lessonId) ?? r.markDate : r.entity === 'attendance_record' ? this.lessonDays.get(r.lessonId) : undefined;
    if (!day) return;
    if (!e.from || day < e.from) e.from = day;
    if (!e.to || day > e.to) e.to = day;
  }
  entries(since: string): OrphanEntry[] {
    return [...this.byRef.values()].map((e) => ({ ...e, since }));
  }
}
