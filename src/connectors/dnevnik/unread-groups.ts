// Last year's groups the platform refuses, in a read of that year only (year-groups.ts). A group read by the id the
// gateway linked last year may since have been archived or had the account's access withdrawn: it answers a plain 403
// or 404. Before, one such group failed the whole autumn read of last year's final marks, night after night, for every
// other group too. Now the group is left out and said: its refusal is handed on as a page of its own (route
// `edu-groups/{id}`, the refusal in the page's ids), which the mapper quarantines (`edu-group <id> not read (…)`,
// ids only), so the run says the group was not read (a finals route's line refuses no delete of marks or absences,
// which this read has none of: sync/partial-read.ts). Every group refused is no read at all:
// it fails, and the caller reports it not read and keeps its cursor (last-year-finals-read.ts).
// docs/platforms/dnevnik.md "Last year's final marks in the autumn".
// Only that finals-only read leaves a group out: a one-off read of an earlier year's journal fails on any refusal
// (failOnRefusal) — its days of a group left out would be missing with the read counted done, and the quarantine text
// speaks of final marks (docs/platforms/dnevnik.md "Last year's journal").
import { GroupRefusedError } from '../past-year-errors.js';
import { isGatewayHttpError } from '../http/index.js';

/** Why a group was not read: the status and the platform's error `type`, never its free text. */
export interface GroupRefusal { status: 403 | 404; type?: string }

/**
 * The refusal of one group, when `e` is a plain 403 or 404 the HTTP layer gave up on: not a token the platform
 * refused (`authorizationFailed`, which would refuse every group alike), not an outage.
 */
export function groupRefusal(e: unknown): GroupRefusal | undefined {
  if (!isGatewayHttpError(e) || e.action !== 'fail' || e.code === 'authorizationFailed') return undefined;
  if (e.status !== 403 && e.status !== 404) return undefined;
  return { status: e.status, ...(e.code ? { type: e.code } : {}) };
}

/** The groups of one read the platform refused, in the order they were refused. */
export class UnreadGroups {
  private readonly refusals = new Map<string, GroupRefusal>();
  private readonly asked = new Set<string>();

  /** `ask` for the group, or undefined when the platform refuses it (the group is then not read further). */
  async ask<T>(group: string, ask: () => Promise<T>): Promise<T | undefined> {
    this.asked.add(group);
    if (this.refusals.has(group)) return undefined;
    try {
      return await ask();
    } catch (e) {
      const refusal = groupRefusal(e);
      if (!refusal) throw e;
      this.refusals.set(group, refusal);
      return undefined;
    }
  }

  /**
   * Whether the group is left out: refused itself, or a subgroup whose class was refused (its periods are the class's,
   * so its final marks could not be placed) — then it is said as not read too, with the class's refusal.
   */
  refused(g: { id_str: string; parentIds_str?: string[] }): boolean {
    if (this.refusals.has(g.id_str)) return true;
    const cls = (g.parentIds_str ?? []).find((p) => this.refusals.has(p));
    if (cls === undefined) return false;
    this.refusals.set(g.id_str, this.refusals.get(cls)!);
    return true;
  }

  /** Each refused group as the page the mapper quarantines: its id and the refusal, nothing the platform said about it. */
  pages(): { id: string; refused: string; type?: string }[] {
    return [...this.refusals].map(([id, r]) => ({ id, refused: String(r.status), ...(r.type ? { type: r.type } : {}) }));
  }

  /**
   * Throws when every group asked for was refused: a read of nothing is not a read, and counted done it would move the
   * cursor past a year it never saw (last-year-finals-read.ts keeps the cursor of a read that failed).
   */
  assertSomeRead(): void {
    if (this.asked.size === 0 || [...this.asked].some((id) => !this.refusals.has(id))) return;
    const statuses = [...new Set([...this.refusals.values()].map((r) => r.status))].join('/');
    throw new Error(`dnevnik: all ${this.asked.size} edu-group(s) asked for by id refused the read (${statuses}: archived, or the account's access withdrawn); nothing of that year was read`);
  }
}

/**
 * `ask` for one group of an earlier year's journal read; a refusal of it fails the read, naming the group by id and the
 * status (never what the platform said of it): a journal read leaves no group out (docs/platforms/dnevnik.md "Last
 * year's journal"). Thrown as a {@link GroupRefusedError}: a queued job does not retry it.
 */
export async function failOnRefusal<T>(group: string, route: string, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (e) {
    const r = groupRefusal(e);
    if (!r) throw e;
    throw new GroupRefusedError(group, `dnevnik: edu-group ${group} refused at ${route} (${r.status}${r.type ? ` ${r.type}` : ''}: archived, or the account's access withdrawn); a read of an earlier year's journal leaves no group out, so the read fails`, { cause: e });
  }
}
