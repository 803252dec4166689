// Period lock and reopening (canonical-model.md §B.5, R-22…R-24).
import type { AttendanceRecordRecord, JournalLockRecord, MarkRecord, UnlockOrderRecord } from '../records.js';
import { isLive, type RuleContext, type RuleDeclaration, severityOf } from './context.js';
import type { Violation } from './types.js';

const ORDER_ISSUERS = ['director', 'deputy_academic'] as const;

export function issuerAllowed(ctx: RuleContext, order: UnlockOrderRecord, sectionId?: string): boolean {
  // The issuer must be a director or deputy of the school whose page the order opens (seed 000 §5.2, §5.6: the
  // administration «образовательного учреждения»), not of any school: for one section, that section's school; for
  // the order as a whole, every school it names. A section whose school is not known is judged on the role alone.
  const orgs = new Set((sectionId !== undefined ? [sectionId] : order.scope.sectionIds).map((s) => ctx.orgOfSection(s)));
  if (orgs.size === 0) orgs.add(undefined);
  for (const org of orgs) if (!ctx.hasRoleOn(order.issuedBy, ORDER_ISSUERS, order.orderDate, org)) return false;
  return true;
}

/**
 * An order covers a write when it names the section, names the student or lists no students (the whole page),
 * spans the lesson date, is still valid at the moment of the write, and was issued by a director or deputy.
 */
export function coveringOrder(ctx: RuleContext, sectionId: string, studentId: string, date: string, atMs: number): UnlockOrderRecord | undefined {
  for (const o of ctx.index.ordersBySection.get(sectionId) ?? []) {
    const s = o.scope;
    if (date < s.from || date > s.to) continue;
    if (s.studentIds.length && !s.studentIds.includes(studentId)) continue;
    if (atMs > Date.parse(o.validUntil)) continue;
    if (!issuerAllowed(ctx, o, sectionId)) continue;
    return o;
  }
  return undefined;
}

/** Locks in force for a journal page: the school's and the section's own. */
function locksFor(ctx: RuleContext, sectionId: string): JournalLockRecord[] {
  const org = ctx.orgOfSection(sectionId);
  return [...(org ? ctx.index.schoolLocksByOrg.get(org) ?? [] : []), ...(ctx.index.sectionLocksBySection.get(sectionId) ?? [])];
}

export const R22: RuleDeclaration = {
  id: 'R-22', severity: 'block', inboundSeverity: 'warn', title: 'Изменения в закрытом периоде — только по приказу',
  check(ctx) {
    const out: Violation[] = [];
    const { writes } = ctx.options;
    const sev = severityOf(R22, ctx);
    const inbound = ctx.options.direction === 'inbound';
    const candidates: (MarkRecord | AttendanceRecordRecord)[] = [...ctx.index.marks, ...ctx.index.attendance];
    for (const r of candidates) {
      if (writes && !writes.has(r.id)) continue;
      const lesson = ctx.get('lesson', r.lessonId);
      const sectionId = lesson?.sectionId ?? (r.entity === 'mark' ? ctx.sectionOfMark(r) : undefined);
      const date = lesson?.date ?? (r.entity === 'mark' ? r.markDate : undefined);
      if (!sectionId || !date) continue;
      const atMs = writes ? ctx.options.nowMs : Date.parse(r.status === 'deleted' && r.deletedAt ? r.deletedAt : r.recordedAt);
      const lock = locksFor(ctx, sectionId).find((l) => date <= l.lockedThrough && (writes || atMs > Date.parse(l.createdAt)));
      if (!lock) continue;
      const order = coveringOrder(ctx, sectionId, r.studentId, date, atMs);
      const what = r.entity === 'mark' ? `отметки ${r.id}` : `записи посещаемости ${r.id}`;
      if (inbound) {
        out.push(order
          ? ctx.violation('R-22', sev, r, `late_edit: изменение ${what} за ${date} в закрытом периоде (по ${lock.lockedThrough}) по приказу № ${order.orderNumber}`, { code: 'late_edit', refs: { lockId: lock.id, orderId: order.id } })
          : ctx.violation('R-22', sev, r, `missing_order: изменение ${what} за ${date} в закрытом периоде (по ${lock.lockedThrough}) без действующего приказа`, { code: 'missing_order', refs: { lockId: lock.id } }));
      } else if (!order) {
        out.push(ctx.violation('R-22', sev, r, `период по ${lock.lockedThrough} закрыт; изменение ${what} за ${date} требует действующего приказа о разблокировке`, { refs: { lockId: lock.id } }));
      }
    }
    return out;
  },
};

/** `lockedThrough` only moves forward. */
export function checkLockAdvance(previous: JournalLockRecord, next: JournalLockRecord): Violation[] {
  if (next.lockedThrough >= previous.lockedThrough) return [];
  return [{
    ruleId: 'R-23', severity: 'block', entity: 'journal_lock', id: next.id,
    message: `R-23: дату закрытия журнала ${next.id} нельзя перенести назад (${previous.lockedThrough} → ${next.lockedThrough}); для исправлений нужен приказ о разблокировке`,
  }];
}

export const R23: RuleDeclaration = {
  id: 'R-23', severity: 'block', title: 'Дата закрытия периода только увеличивается',
  check(ctx) {
    if (!ctx.options.previousLocks.length) return [];
    const prev = new Map(ctx.options.previousLocks.map((l) => [l.id, l]));
    const out: Violation[] = [];
    for (const l of ctx.index.locks) {
      const p = prev.get(l.id);
      if (p && isLive(l)) out.push(...checkLockAdvance(p, l));
    }
    return out;
  },
};

export const R24: RuleDeclaration = {
  id: 'R-24', severity: 'block', title: 'Приказ о разблокировке издаёт директор или заместитель по УВР',
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.index.orders) {
      if (isLive(o) && !issuerAllowed(ctx, o)) {
        out.push(ctx.violation('R-24', 'block', o, `приказ № ${o.orderNumber} (${o.id}) издан сотрудником ${o.issuedBy} без роли директора или заместителя директора по УВР этой школы на ${o.orderDate}`, { refs: { personId: o.issuedBy } }));
      }
    }
    return out;
  },
};

export const LOCK_RULES = [R22, R23, R24];
