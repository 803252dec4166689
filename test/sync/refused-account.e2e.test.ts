// A push target whose account may not write — a read-only login in the config, or a teacher's login not assigned to
// some classes — answers every write there with 403. Before, the push sent every mark and absence anyway, one refused
// request each, every night. Now each group (section) is asked with its first lesson; a group refused for the account
// gets nothing more that push (src/sync/refused-groups.ts), the groups the account may write are written in full, and
// once the account is fixed the next push writes what waited. ЭПОС (one request per mark) behind the fault proxy.
import { describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { ScheduleItem } from '../../src/emulators/epos/world.js';
import { runJob } from '../../src/jobs/processors.js';
import { PushFailedError } from '../../src/sync/push-failures.js';
import { formatSummary, type RunSummary } from '../../src/sync/run-summary.js';
import { startProxy, type Action, type SeenRequest } from '../support/fault-proxy.js';
import { sorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-14' };
// Four pupils a group: a group's first lessons hold marks of more than one of them.
const school = generateSchool({ seed: 63, pupils: 40, weeks: 2 });
const inWindow = new Set(school.all('lesson').filter((l) => l.date >= window.from && l.date <= window.to).map((l) => l.id));
const marks = school.all('mark').filter((m) => inWindow.has(m.lessonId)).length;
const absences = school.all('attendance_record').filter((a) => inWindow.has(a.lessonId)).length;
const FORBIDDEN: Action = { kind: 'respond', status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 403, message: 'Доступ запрещён' }) };

type EposTarget = RunningEmulator & { world: { marks: Map<number, { group: number }>; attendances: Map<string, unknown>; schedule: Map<number, ScheduleItem>; groups: Map<number, { name: string }> } };
const isWrite = (r: SeenRequest) => r.method !== 'GET' && /\/core\/api\/(marks|attendances)/.test(r.path);

describe('a push into a target whose account may not write everywhere', () => {
  /** Дневник.ру → ЭПОС's empty journal behind the proxy: a push while `refuse` says 403, then one with the account fixed. */
  async function pushes(refuse: (r: SeenRequest, target: EposTarget) => boolean) {
    let fixed = false;
    const writes = { asked: 0, refused: 0 };
    /** Per kind of write and group, the lessons whose writes were refused on the first push. */
    const refusedLessons = new Map<string, Set<number>>();
    let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
    const rule = (target: EposTarget) => (r: SeenRequest): Action => {
      if (!isWrite(r) || fixed) return { kind: 'pass' };
      writes.asked++;
      if (!refuse(r, target)) return { kind: 'pass' };
      writes.refused++;
      const lesson = (JSON.parse(r.body) as { schedule_lesson_id: number }).schedule_lesson_id;
      const key = `${/marks/.test(r.path) ? 'mark' : 'absence'}:${target.world.schedule.get(lesson)!.group}`;
      refusedLessons.set(key, (refusedLessons.get(key) ?? new Set()).add(lesson));
      return FORBIDDEN;
    };
    const { target, ctx, close } = await sorAndTarget<RunningEmulator, EposTarget>({
      sor: 'dnevnik', target: 'epos', school, window,
      targetUrl: async (t) => (proxy = await startProxy(t.baseUrl, rule(t))).baseUrl,
    });
    try {
      let failed: PushFailedError | undefined;
      const [first] = await runJob('grade-push', { schoolId: 's1', window }, ctx).catch((e: unknown) => {
        if (!(e instanceof PushFailedError)) throw e;
        failed = e;
        return e.summaries as RunSummary[];
      });
      const markGroups = new Set([...target.world.marks.values()].map((m) => m.group));
      const afterFirst = { marks: target.world.marks.size, absences: target.world.attendances.size, markGroups, writes: { ...writes }, refusedLessons };
      fixed = true;
      const [second] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
      return { first, second, failed, afterFirst, marks: target.world.marks.size, absences: target.world.attendances.size, target };
    } finally {
      await close();
      await proxy?.close();
    }
  }

  it('a read-only account: one lesson per group is asked, nothing else is sent; fixed, the next push writes everything', async () => {
    const r = await pushes(() => true);
    expect(marks).toBeGreaterThan(100);
    const first = r.first;
    // Every write of the push failed; most were never sent.
    expect(first.pushed!.failed).toBe(marks + absences);
    // (A cell's second mark whose first failed is not sent either: ЭПОС orders a cell by creation.)
    expect(first.accountRefused!.notSent + r.afterFirst.writes.asked).toBeLessThanOrEqual(marks + absences);
    // Asked with one lesson per group, two where the first held one pupil's writes only (every write, before).
    expect(Math.max(...[...r.afterFirst.refusedLessons.values()].map((l) => l.size))).toBeLessThanOrEqual(2);
    expect(r.afterFirst.writes.asked).toBeLessThan((marks + absences) / 2);
    expect(first.accountRefused!.groups).toBeGreaterThan(1);
    // A few of the groups by title (class and subject), so the operator knows where to look.
    expect(first.accountRefused!.sample).toHaveLength(5);
    expect(formatSummary(first)).toContain(`the account refused in ${first.accountRefused!.groups} group(s) (${first.accountRefused!.sample.join(', ')}, …): ${first.accountRefused!.notSent} write(s) there not sent — it may not write into them`);
    // The run fails, as any push with failed writes, and says what to fix; the job is not retried within minutes (every
    // retry would ask each group again): the writes stay due for the next push.
    expect(r.failed?.retryable).toBe(false);
    expect(r.failed?.message).toMatch(/^grade-push s1: \d+ write\(s\) failed on t \(\d+\); t refused the account in \d+ group\(s\) \(.+, …\), \d+ write\(s\) not sent there — check the account's rights there; none will go through until the account may write there \(they stay due; every push asks again\); first: /);
    expect(first.pushFailures!.accountRefused).toBe(marks + absences);
    expect(r.afterFirst.marks).toBe(0);
    // The account fixed: nothing was lost.
    expect(r.second.pushed!.failed).toBe(0);
    expect(r.second.accountRefused).toBeUndefined();
    expect([r.marks, r.absences]).toEqual([marks, absences]);
  }, 180_000);

  it('a teacher not assigned to one class: that group is held after its first lesson, every other group is written in full', async () => {
    let refusedGroup: number | undefined;
    const groupOf = (r: SeenRequest, t: EposTarget) => t.world.schedule.get((JSON.parse(r.body) as { schedule_lesson_id: number }).schedule_lesson_id)?.group;
    // The group with the most lessons in the window, and only it, refuses the account.
    const r = await pushes((req, t) => {
      if (refusedGroup === undefined) {
        const lessons = new Map<number, number>();
        for (const l of t.world.schedule.values()) if (l.date >= window.from && l.date <= window.to) lessons.set(l.group, (lessons.get(l.group) ?? 0) + 1);
        refusedGroup = [...lessons].sort((a, b) => b[1] - a[1])[0][0];
      }
      return groupOf(req, t) === refusedGroup;
    });
    const theirs = [...r.target.world.marks.values()].filter((m) => m.group === refusedGroup).length;
    expect(theirs).toBeGreaterThan(5);
    // First push: every other group's marks are there, none of the refused group's; that group was asked briefly.
    expect(r.afterFirst.markGroups.has(refusedGroup!)).toBe(false);
    expect(r.afterFirst.marks).toBe(marks - theirs);
    expect(r.first.accountRefused!.groups).toBe(1);
    // Named by class and subject (ЭПОС names this group the same way).
    expect(r.first.accountRefused!.sample).toEqual([r.target.world.groups.get(refusedGroup!)!.name]);
    expect(r.afterFirst.refusedLessons.get(`mark:${refusedGroup}`)!.size).toBeLessThanOrEqual(2);
    expect(r.first.accountRefused!.notSent).toBeGreaterThan(0);
    // The teacher assigned (the 403 gone): the second push writes the rest.
    expect([r.marks, r.absences]).toEqual([marks, absences]);
  }, 180_000);

  it('one pupil refused alone (the platform holds them elsewhere) does not hold back the rest of their class', async () => {
    let pupil: number | undefined;
    const r = await pushes((req) => {
      const body = JSON.parse(req.body) as { student_profile_id: number };
      pupil ??= body.student_profile_id;
      return body.student_profile_id === pupil;
    });
    expect(r.first.accountRefused).toBeUndefined();
    // Only that pupil's writes failed (a second mark waiting for its first one among them).
    expect(r.afterFirst.writes.refused).toBeGreaterThan(2);
    expect(r.first.pushed!.failed).toBeGreaterThanOrEqual(r.afterFirst.writes.refused);
    expect(r.afterFirst.marks + r.afterFirst.absences).toBe(marks + absences - r.first.pushed!.failed);
    expect([r.marks, r.absences]).toEqual([marks, absences]);
  }, 180_000);
});
