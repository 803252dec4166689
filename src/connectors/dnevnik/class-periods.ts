// Each class's reporting periods (`edu-groups/{id}/reporting-periods`): the journal's mapping needs them (a work names
// its period by type and number, a final mark by id), and reading them is one request per class on every read —
// 44 of a 1,000-pupil school's ~800 nightly requests, for lists that change a few times a year. With a SetupCache
// (connectors/contract.ts) they are read once a day (the roster sync reads and keeps them) and taken from the cache
// otherwise. A page naming a period its class's cached list lacks (one added since) makes that class's list be read
// again, once per run, before the page is handed on, so a stale cache costs a request, never a quarantined record.
import { ordered } from '../paging.js';
import type { SetupCache } from '../contract.js';

export type Period = { id_str: string; type: string; number: number; start: string; year: number; finish?: string };
type Group = { id_str: string; parentIds_str?: string[] };

const CACHE_KEY = 'dnevnik:reporting-periods';

export class ClassPeriods {
  private readonly pages = new Map<string, Period[]>();
  private readonly reread = new Map<string, Promise<void>>();
  private changed = false;

  private constructor(private readonly fetch: (classId: string) => Promise<Period[]>, private readonly cache?: SetupCache) {}

  /** Every class's list: from the cache when it holds every class (and is young enough), else from the platform. */
  static async load(classes: readonly Group[], fetch: (classId: string) => Promise<Period[]>, concurrency: number, cache?: SetupCache): Promise<ClassPeriods> {
    const out = new ClassPeriods(fetch, cache);
    const cached = (await cache?.get(CACHE_KEY)) as Record<string, Period[]> | undefined;
    if (cached && typeof cached === 'object' && classes.every((c) => Array.isArray(cached[c.id_str]))) {
      for (const c of classes) out.pages.set(c.id_str, cached[c.id_str]);
      return out;
    }
    for await (const [id, list] of ordered(classes.map((c) => async () => [c.id_str, await fetch(c.id_str)] as const), concurrency)) out.pages.set(id, list);
    out.changed = true;
    return out;
  }

  /** The class whose list a group uses: its own, else its parent class's (a subgroup). */
  private classOf(g: Group): string {
    return this.pages.has(g.id_str) ? g.id_str : (g.parentIds_str?.[0] ?? g.id_str);
  }

  of(g: Group): Period[] {
    return this.pages.get(this.classOf(g)) ?? [];
  }

  entries(): [string, Period[]][] {
    return [...this.pages];
  }

  /**
   * Reads the group's class list again when a page names a period it lacks — by type and number (`"Quarter|2"`, a
   * lesson's works) or by id (a final mark) — at most once per class and run.
   */
  async cover(g: Group, named: { keys?: Iterable<string>; ids?: Iterable<string> }): Promise<void> {
    const list = this.of(g);
    const keys = new Set(list.map((p) => `${p.type}|${p.number}`));
    const ids = new Set(list.map((p) => p.id_str));
    const missing = [...(named.keys ?? [])].some((k) => !keys.has(k)) || [...(named.ids ?? [])].some((id) => !ids.has(id));
    if (!missing) return;
    const cls = this.classOf(g);
    let pending = this.reread.get(cls);
    if (!pending) {
      pending = this.fetch(cls).then((fresh) => { this.pages.set(cls, fresh); this.changed = true; });
      this.reread.set(cls, pending);
    }
    await pending;
  }

  /** Keeps what this run read for the next runs (nothing when everything came from the cache unchanged). */
  async save(): Promise<void> {
    if (this.changed && this.cache) await this.cache.set(CACHE_KEY, Object.fromEntries(this.pages));
    this.changed = false;
  }
}

/** `Type|number` of every journal column of a lessons page (homework works name no period of their own that matters). */
export function periodsNamedByLessons(lessons: unknown, homeworkType: string): string[] {
  const out: string[] = [];
  type L = { works?: { type?: string; periodType?: string; periodNumber?: number }[] };
  for (const l of Array.isArray(lessons) ? (lessons as L[]) : []) {
    for (const w of l.works ?? []) if (w.type !== homeworkType && w.periodType !== undefined) out.push(`${w.periodType}|${w.periodNumber}`);
  }
  return out;
}

/** Period ids of a final-marks page. */
export function periodsNamedByFinals(entries: unknown): string[] {
  return (Array.isArray(entries) ? (entries as { reportingPeriod_str?: string }[]) : []).flatMap((e) => (e.reportingPeriod_str ? [e.reportingPeriod_str] : []));
}
