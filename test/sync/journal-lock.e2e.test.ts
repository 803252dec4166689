// end to end: with `journalLockEveryDays: 14` the gateway closes the school's journal every two weeks
// since 1 September; a push holds the changes of the closed period, lists them under R-22, and sends them once an
// unlock order (`journal-gateway unlock`) covers them. Дневник.ру as the system of record, ЭПОС as the target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { EposEmulator } from '../../src/emulators/epos/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import type { LessonRecord, MarkRecord, RoleAssignmentRecord } from '../../src/model/index.js';
import { gatewayLockId, lockedThroughOn } from '../../src/sync/journal-lock.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { listUnlockOrders, recordUnlockOrder, revokeUnlockOrder } from '../../src/sync/unlock-order.js';
import { sorAndTarget, type SorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-21' };

describe('the journal closes every 14 days (R-23); pushes into it wait for an unlock order (R-22)', () => {
  let school: SorAndTarget<RunningEmulator, EposEmulator>;
  let target: EposEmulator;
  let ctx: JobContext;
  beforeAll(async () => {
    school = await sorAndTarget<RunningEmulator, EposEmulator>({
      sor: 'dnevnik', target: 'epos', school: generateSchool({ seed: 31, pupils: 16, weeks: 3 }), window,
      settings: 'journalLockEveryDays: 14', extra: 'sync:\n  windowEndsOn: "2025-09-21"',
    });
    ({ target, ctx } = school);
  }, 180_000);
  afterAll(async () => {
    await school?.close();
  });

  const lessonDate = async (m: { lessonId: string }) => ((await ctx.store.get(m.lessonId)) as LessonRecord).date;
  /** The dates of the marks on the target (ЭПОС marks carry their lesson's date). */
  const targetMarkDates = async () => [...target.world.marks.values()].map((m) => m.date.slice(0, 10));

  it('lockedThroughOn: the last day of the last whole block since 1 September; the first block is open', () => {
    expect(lockedThroughOn('2025-09-10', 14)).toBeNull();
    expect(lockedThroughOn('2025-09-15', 14)).toBe('2025-09-14');
    expect(lockedThroughOn('2025-09-21', 14)).toBe('2025-09-14');
    expect(lockedThroughOn('2025-09-29', 14)).toBe('2025-09-28');
    expect(lockedThroughOn('2026-03-01', 7)).toBe('2026-02-22');
  });

  it('the push closes 1–14 September and holds its marks under R-22; later ones go', async () => {
    const [p] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect((await ctx.store.get(gatewayLockId(schoolCanonicalId('s1'))) as unknown as { lockedThrough: string }).lockedThrough).toBe('2025-09-14');
    expect(p.refusedByLock!.count).toBeGreaterThan(0);
    const dates = await targetMarkDates();
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.every((d) => d > '2025-09-14')).toBe(true);
  }, 120_000);

  it('an unlock order by the deputy (role recorded by the operator) lets its section and days through at the next push; a teacher\'s is refused (R-24)', async () => {
    const org = schoolCanonicalId('s1');
    const held: MarkRecord[] = [];
    for await (const m of ctx.store.iterate('mark', { status: 'active' })) if ((await lessonDate(m as MarkRecord)) <= '2025-09-14') held.push(m as MarkRecord);
    const first = held[0];
    const sectionId = ((await ctx.store.get(first.lessonId)) as LessonRecord).sectionId;
    const day = await lessonDate(first);
    const roles: RoleAssignmentRecord[] = [];
    for await (const r of ctx.store.iterate('role_assignment', { status: 'active' })) roles.push(r as RoleAssignmentRecord);
    // Дневник.ру (like the other three) lists no school administration: two teachers stand for the deputy and a teacher.
    const [deputy, teacher] = roles.filter((r) => r.role === 'subject_teacher' && r.organizationId === org);
    const order = { organizationId: org, timeZone: 'Europe/Samara', orderNumber: '12-ОД', orderDate: '2025-09-20', sectionIds: [sectionId], studentIds: [], from: day, to: day, validThrough: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), reason: 'исправление по заявлению учителя', runId: 'unlock-test' };
    await expect(recordUnlockOrder(ctx.store, { ...order, issuedBy: teacher.personId })).rejects.toThrow(/^R-24: /);
    await expect(recordUnlockOrder(ctx.store, { ...order, issuedBy: deputy.personId })).rejects.toThrow(/--issuer-role/);
    await recordUnlockOrder(ctx.store, { ...order, issuedBy: deputy.personId, issuerRole: 'deputy_academic' });
    const covered = [];
    for (const m of held) if (((await ctx.store.get(m.lessonId)) as LessonRecord).sectionId === sectionId && (await lessonDate(m)) === day) covered.push(m);
    const before = (await targetMarkDates()).length;
    const [p] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(p.pushed!.applied).toBe(covered.length);
    const dates = await targetMarkDates();
    expect(dates.length).toBe(before + covered.length);
    expect(dates.filter((d) => d <= '2025-09-14').every((d) => d === day)).toBe(true);
  }, 120_000);

  it('an order recorded by mistake and revoked lets nothing through; recorded again, it does', async () => {
    const org = schoolCanonicalId('s1');
    const targetDates = new Set(await targetMarkDates());
    // A day of the closed period none of whose marks the target holds yet: still held by R-22.
    const held: MarkRecord[] = [];
    for await (const m of ctx.store.iterate('mark', { status: 'active' })) {
      const d = await lessonDate(m as MarkRecord);
      if (d <= '2025-09-14' && !targetDates.has(d)) held.push(m as MarkRecord);
    }
    expect(held.length).toBeGreaterThan(0);
    const sectionId = ((await ctx.store.get(held[0].lessonId)) as LessonRecord).sectionId;
    const day = await lessonDate(held[0]);
    const deputy = (await listUnlockOrders(ctx.store, org))[0];
    expect(deputy).toMatchObject({ orderNumber: '12-ОД', status: 'active' });
    const issuedBy = ((await ctx.store.get(deputy.id)) as unknown as { issuedBy: string }).issuedBy;
    const order = { organizationId: org, timeZone: 'Europe/Samara', orderNumber: '13-ОД', orderDate: '2025-09-21', issuedBy, sectionIds: [sectionId], studentIds: [], from: day, to: day, validThrough: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), reason: 'исправление по заявлению учителя', runId: 'unlock-test-2' };
    await recordUnlockOrder(ctx.store, order);
    await expect(revokeUnlockOrder(ctx.store, { organizationId: org, orderNumber: '13-ОД', orderDate: '2025-09-22', runId: 'r' })).rejects.toThrow(/no unlock order 13-ОД of 2025-09-22 is recorded for this school \(recorded: 12-ОД of 2025-09-20, 13-ОД of 2025-09-21\)/);
    await revokeUnlockOrder(ctx.store, { organizationId: org, orderNumber: '13-ОД', orderDate: '2025-09-21', runId: 'r' });
    await expect(revokeUnlockOrder(ctx.store, { organizationId: org, orderNumber: '13-ОД', orderDate: '2025-09-21', runId: 'r' })).rejects.toThrow(/already revoked/);
    expect((await listUnlockOrders(ctx.store, org)).map((o) => `${o.orderNumber} ${o.status}`)).toEqual(['12-ОД active', '13-ОД revoked']);
    const before = (await targetMarkDates()).length;
    const [p] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(p.pushed!.applied).toBe(0);
    expect(p.refusedByLock!.count).toBeGreaterThan(0);
    expect((await targetMarkDates()).length).toBe(before);
    // The right order after all: recorded again, the next push sends what it covers.
    await recordUnlockOrder(ctx.store, order);
    const [again] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
    expect(again.pushed!.applied).toBeGreaterThan(0);
    expect((await targetMarkDates()).filter((d) => d === day).length).toBeGreaterThan(0);
  }, 120_000);
});
