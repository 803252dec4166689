// The Дневник.ру connector (PLATFORM-SLICE.md §2): reads a whole school with class-level routes over short
// date windows (range routes are unpaged, platforms.md §3.5), in order — roster, then per edu-group
// lessons before marks and log entries (marks find their lesson through the crosswalk) — with a bounded
// look-ahead so the rate budget is used while memory stays flat. Writes: marks, lesson log entries and homework.
import { writeFailure } from '../write-results.js';
import { oncePerKey } from '../once-per-key.js';
import { ordered, scopeWindows, windows } from '../paging.js';
import { workTypeByName, WORK_TYPES } from '../../model/work-types.js';
import { createHttpClient, type HttpClient } from '../http/index.js';
import {
  requireCapability, type AttendanceWriteOp, type Capability, type Connector, type ConnectorDeps, type PlatformBatch,
  type ReadScope, type WriteResult,
} from '../contract.js';
import { logEntryBody } from '../../mappers/dnevnik/write-bodies.js';
import { HOMEWORK_WORK_TYPE, ZONE_BY_OFFSET } from '../../mappers/dnevnik/codes.js';
import { schoolYearOfPeriods } from '../../mappers/dnevnik/school-year.js';
import { localDateTimeOf } from './time.js';
import { ClassPeriods, periodsNamedByFinals, periodsNamedByLessons, type Period } from './class-periods.js';
import { DnevnikAuth } from './auth.js';
import { homeworkWriter } from './homework-writer.js';
import { markWriter, type LessonWork } from './mark-writer.js';
import { dnevnikClassify } from './classify.js';
import { lessonTeachers, LessonsSeen, noteScheduledTeachers } from './lessons-seen.js';
import { dnevnikDeclaration, type DnevnikConfig } from './declaration.js';
import { finalsOfScopeYear, groupsOfScope, keptGroupsNotRead, lastLessonsRange, type EduGroup } from './year-groups.js';
import { failOnRefusal, UnreadGroups } from './unread-groups.js';

type Json = Record<string, unknown>;
const READS: Capability[] = ['roster.read', 'journal.read', 'finals.read'];

export { windows };

type PersonRef = { userId_str?: string; id_str?: string };

export function createDnevnikConnector(cfg: DnevnikConfig, deps: ConnectorDeps): Connector {
  const http: HttpClient = createHttpClient({
    platform: 'dnevnik', instance: deps.instance, baseURL: cfg.baseUrl.replace(/\/$/, ''),
    rateLimit: { ...cfg.rateLimit, ...deps.rateLimit }, retry: deps.retry, timeoutMs: deps.timeoutMs, classify: dnevnikClassify, logger: deps.logger, limiter: deps.limiter,
  });
  const auth = new DnevnikAuth(http, cfg.auth, cfg.scope, deps.vault);
  http.setAuth(auth);
  const now = deps.now ?? (() => new Date());
  const concurrency = Math.max(1, deps.rateLimit?.concurrency ?? cfg.rateLimit.concurrency);
  let tz = cfg.timeZone;

  const get = async <T = unknown>(route: string, pathParams: Record<string, string> = {}, query?: Record<string, string>) =>
    (await http.get<T>(`/v2/${route}`, { pathParams, query })).data;
  const batch = (route: string, payload: unknown, ids: Record<string, string>): PlatformBatch =>
    ({ route, payload, context: { timeZone: tz ?? 'Europe/Moscow', ids, fetchedAt: now().toISOString() } });

  /**
   * The school's work types matched to canonical codes. Works and marks name their work type by the bare number
   * (`workType`, no `_str` twin in platforms.md §3.3), so an id beyond 2^53 could not be told apart after JSON.parse:
   * such an id fails the read, naming it, rather than mapping every mark onto the wrong type ([U], dnevnik.md).
   */
  const readWorkTypes = async (school: string) => {
    const types = await get<{ id: number; id_str?: string; title: string; abbr?: string; weight: number }[]>('work-types/{school}', { school });
    const lossy = types.find((w) => !Number.isSafeInteger(w.id) || (w.id_str !== undefined && w.id_str !== String(w.id)));
    if (lossy) {
      throw new Error(`dnevnik: work-types/{school}: work type id ${lossy.id_str ?? lossy.id} is beyond 2^53; works and marks name their work type by number only, so they could not be matched (docs/platforms/dnevnik.md)`);
    }
    const matched = types.flatMap((w) => {
      const def = workTypeByName(w.title) ?? WORK_TYPES.find((d) => d.code === w.abbr);
      return def ? [{ id: w.id, code: def.code, weight: w.weight }] : [];
    });
    return { payload: types, matched };
  };

  /**
   * `{person id: YYYY-MM-DD}` of the given users: the roster's `Person` has no birth date, the `User` behind it
   * does (`POST users/many`, at most 100 ids a call). Identity matching needs it (name + birth date + school).
   * With `contacts` (parents, administrators — never pupils) also `{person id: {email, phone}}` of the same users:
   * tier 3 matches an adult by e-mail or phone + name (docs/sync.md "Identity matching").
   */
  async function usersOf(userIds: (string | undefined)[], withContacts = false): Promise<{ birthdays: string; contacts?: string }> {
    const ids = [...new Set(userIds.filter((x): x is string => !!x))];
    const out: Record<string, string> = {};
    const contacts: Record<string, { email?: string; phone?: string }> = {};
    for (let i = 0; i < ids.length; i += 100) {
      const users = (await http.post<{ personId_str?: string; birthday?: string | null; email?: unknown; phone?: unknown }[]>('/v2/users/many', { json: ids.slice(i, i + 100), retrySafe: true })).data;
      for (const u of Array.isArray(users) ? users : []) {
        if (u.personId_str && u.birthday) out[u.personId_str] = u.birthday.slice(0, 10);
        if (!withContacts || !u.personId_str) continue;
        const c = { ...(typeof u.email === 'string' && u.email ? { email: u.email } : {}), ...(typeof u.phone === 'string' && u.phone ? { phone: u.phone } : {}) };
        if (c.email || c.phone) contacts[u.personId_str] = c;
      }
    }
    return { birthdays: JSON.stringify(out), ...(withContacts ? { contacts: JSON.stringify(contacts) } : {}) };
  }

  /**
   * The lessons a marks page names that no lessons page of the run listed, read by id (100 a call), so their marks
   * keep their lesson's day and teacher (lessons-seen.ts). None in a full read when `Mark.date` is the lesson's day.
   */
  async function lookUpLessons(seen: LessonsSeen, marks: unknown): Promise<void> {
    const ids = seen.unseen(marks);
    for (let i = 0; i < ids.length; i += 100) {
      seen.note((await http.post<unknown[]>('/v2/lessons/many', { json: ids.slice(i, i + 100), retrySafe: true })).data);
    }
    seen.noteAsked(ids);
  }

  /** The marks page with the marks of each lesson {@link LessonsSeen.offDay} names replaced by all that lesson's marks. */
  async function withWholeCells(seen: LessonsSeen, marks: unknown): Promise<unknown> {
    const lessons = seen.offDay(marks);
    if (lessons.length === 0 || !Array.isArray(marks)) return marks;
    const whole = new Set(lessons);
    const out = (marks as { lesson_str?: unknown }[]).filter((m) => !whole.has(m?.lesson_str as string));
    for (const l of lessons) {
      const all = await get<unknown>('lessons/{id}/marks', { id: l });
      // The page's own marks of this lesson were taken out: an answer that is no list must not lose them quietly.
      if (!Array.isArray(all)) throw new Error(`dnevnik: lessons/{id}/marks for lesson ${l} answered ${all === null ? 'null' : typeof all}, not a list of marks; the read stops rather than lose that lesson's marks`);
      out.push(...(all as { lesson_str?: unknown }[]));
    }
    return out;
  }

  async function* readSchool(scope: ReadScope): AsyncGenerator<PlatformBatch> {
    const caps = scope.capabilities ?? READS;
    for (const c of caps) requireCapability(dnevnikDeclaration, c);
    const ctx = await get<{ schools?: { id_str: string }[]; personId_str?: string }>('users/me/context');
    const subjectTeachers = new Map<string, string>(); // `{group}:{subject}` → scheduled teacher, learned from lesson pages
    const school = scope.schoolSourceId ?? ctx.schools?.[0]?.id_str;
    if (!school) throw new Error('dnevnik: the account sees no school (users/me/context has no schools)');
    const schoolPayload = await get<{ timeZone?: number }>('schools/{id}', { id: school });
    const schoolZone = tz ??= ZONE_BY_OFFSET[schoolPayload.timeZone ?? 3] ?? 'Europe/Moscow';
    const workTypes = await readWorkTypes(school);
    const wt: Record<string, [string, number]> = {};
    for (const w of workTypes.matched) wt[String(w.id)] = [w.code, w.weight];
    // A read of an earlier year reads its final marks or its journal (past-year-window.ts), never its roster: the
    // roster of that year is the store's already, and a roster read of a few groups would take the rest for missing.
    if (scope.scopeYearOnly && caps.includes('roster.read')) throw new Error('dnevnik: a read of one school year only (scopeYearOnly) reads no roster');
    // In the autumn read of last year's final marks only, a group the platform refuses by id is left out and said
    // (unread-groups.ts). A read of an earlier year's journal leaves none out: any refusal fails it, naming the group
    // (failOnRefusal). This year's groups are never left out.
    const finalsOnly = caps.every((c) => c === 'finals.read');
    const unread = scope.scopeYearOnly && finalsOnly ? new UnreadGroups() : undefined;
    const pastJournal = scope.scopeYearOnly && !finalsOnly;
    const groups = await groupsOfScope(scope, school, get, unread);
    const classGroups = groups.filter((g) => g.type !== 'Subgroup');
    const periodsOf = (id: string) => get<Period[]>('edu-groups/{id}/reporting-periods', { id });
    const askPeriods = unread ? async (id: string) => (await unread.ask(id, () => periodsOf(id))) ?? []
      : pastJournal ? (id: string) => failOnRefusal(id, 'edu-groups/{id}/reporting-periods', () => periodsOf(id)) : periodsOf;
    // Not the cache for another year's groups: it holds the current year's classes, and would be written over.
    const periods = await ClassPeriods.load(classGroups, askPeriods, concurrency, scope.scopeYearOnly ? undefined : scope.setupCache);
    const refFor = (g: { id_str: string; parentIds_str?: string[] }) =>
      JSON.stringify({ workTypes: wt, periods: Object.fromEntries(periods.of(g).map((p) => [p.id_str, [p.type, p.number]])) });
    const year = schoolYearOfPeriods(periods.entries().flatMap(([, list]) => list), schoolZone);
    const yearPeriod = year?.sourceId ?? '';
    const yearIds: Record<string, string> = year ? { schoolYear: String(year.year), yearStart: year.start } : {};

    if (caps.includes('roster.read')) {
      yield batch('schools/{id}', schoolPayload, { id: school });
      yield batch('work-types/{school}', workTypes.payload, { school });
      // Periods are the school's: the first class's page carries them (each class answers the same list).
      const [firstClass, firstPeriods] = periods.entries()[0] ?? [];
      if (firstClass) yield batch('edu-groups/{id}/reporting-periods', firstPeriods, { id: firstClass, school });
      yield batch('schools/{id}/subjects', await get('schools/{id}/subjects', { id: school }), { id: school, ...yearIds });
      yield batch('schools/{id}/edu-groups', groups, { id: school, yearPeriod });
      yield batch('schools/{id}/teachers', await get('schools/{id}/teachers', { id: school }), { id: school, school });
      const admins = await get<PersonRef[]>('schools/{id}/membership', { id: school }, { schoolMembershipType: 'Admins' });
      yield batch('schools/{id}/membership', admins, { id: school, school, ...await usersOf(admins.map((p) => p.userId_str), true) });
      const pupils = new Map<string, string>(); // user id → person id
      const persons = ordered(groups.map((g) => async () => {
        const list = await get<PersonRef[]>('edu-groups/{id}/persons', { id: g.id_str });
        return batch('edu-groups/{id}/persons', list, {
          id: g.id_str, g: g.id_str, groupType: g.type, school, subjects: (g.subjects ?? []).map((s) => s.id_str).join(','), ...yearIds,
          ...(g.parallel ? { parallel: String(g.parallel) } : {}), birthdays: (await usersOf(list.map((p) => p.userId_str))).birthdays,
        });
      }), concurrency);
      for await (const b of persons) {
        for (const p of b.payload as PersonRef[]) if (p.userId_str && p.id_str) pupils.set(p.userId_str, p.id_str);
        yield b;
      }
      // Parents: the partner API links them per pupil only (users/{id}/relatives); their birthdays and contacts
      // come in one users/many call per hundred parents once every list is in.
      const relatives: { u: string; person: string; payload: { person?: PersonRef }[] }[] = [];
      for await (const r of ordered([...pupils].map(([u, person]) => async () => ({ u, person, payload: await get<{ person?: PersonRef }[]>('users/{id}/relatives', { id: u }) })), concurrency)) relatives.push(r);
      const parentUsers = await usersOf(relatives.flatMap((r) => (Array.isArray(r.payload) ? r.payload : []).map((x) => x.person?.userId_str)), true);
      for (const r of relatives) yield batch('users/{id}/relatives', r.payload, { id: r.u, person: r.person, school, ...parentUsers });
    }
    if (caps.includes('journal.read')) {
      const wins = scopeWindows(scope, cfg.windowDays);
      // An earlier year's group refusing a page fails the read naming the group, as at `edu-groups/{id}` (above).
      const ofGroup = <T>(g: string, route: string, ask: () => Promise<T>) => (pastJournal ? failOnRefusal(g, route, ask) : ask());
      const thunks = function* () {
        for (const g of groups) {
          // The group's `ref` is taken once its lessons page is in: a work naming a period the cached list lacks
          // has the class's periods read again first (class-periods.ts).
          const ids = () => ({ g: g.id_str, groupType: g.type, groupName: g.name, ref: refFor(g) });
          // Every lessons page of the group read so far: a mark set late names a lesson of an earlier window.
          const seen = new LessonsSeen();
          const lessonPages: Promise<void>[] = [];
          for (const [a, b] of wins) {
            // A mark does not say who set it: the teacher of its lesson did (a substitute if there was one),
            // so the marks page waits for the lessons page of its window and carries lesson → teacher.
            const lessonsRoute = 'edu-groups/{g}/lessons/{from}/{to}';
            const lessons = ofGroup(g.id_str, lessonsRoute, () => get<{ id_str?: string; teachersStr?: string[] }[]>(lessonsRoute, { g: g.id_str, from: a, to: b }))
              .then(async (page) => {
                seen.note(page);
                noteScheduledTeachers(page, subjectTeachers);
                await periods.cover(g, { keys: periodsNamedByLessons(page, HOMEWORK_WORK_TYPE) });
                return page;
              });
            lessons.catch(() => undefined); // surfaced in order, by the lessons thunk
            lessonPages.push(lessons.then(() => undefined, () => undefined)); // settled, not the page: pages are not kept
            const pagesSoFar = [...lessonPages];
            yield async () => batch('edu-groups/{g}/lessons/{from}/{to}', await lessons, { ...ids(), from: a, to: b });
            yield async () => {
              const marks = await ofGroup(g.id_str, 'edu-groups/{g}/marks/{from}/{to}', () => get('edu-groups/{g}/marks/{from}/{to}', { g: g.id_str, from: `${a}T00:00:00`, to: `${b}T23:59:59` }));
              await lessons;
              await Promise.all(pagesSoFar); // never rejects: an earlier window's failure is surfaced by its own lessons thunk
              await lookUpLessons(seen, marks);
              const page = await withWholeCells(seen, marks);
              return batch('edu-groups/{g}/marks/{from}/{to}', page, { ...ids(), from: a, to: b, ...seen.idsFor(page) });
            };
            yield async () => {
              const entries = await ofGroup(g.id_str, 'lesson-log-entries/group/{g}', () => get('lesson-log-entries/group/{g}', { g: g.id_str }, { from: a, to: b }));
              const page = await lessons;
              return batch('lesson-log-entries/group/{g}', entries, { ...ids(), from: a, to: b, lessonTeachers: lessonTeachers(page) });
            };
          }
        }
      };
      yield* ordered(thunks(), concurrency);
    }
    if (caps.includes('finals.read')) {
      // Who set a final mark is not in the payload: the subject's teacher as the lessons showed them, else
      // the account the gateway reads with (`reader`) — docs/platforms/dnevnik.md.
      const teachersOf = (g: string) => JSON.stringify(Object.fromEntries([...subjectTeachers].filter(([k]) => k.startsWith(`${g}:`)).map(([k, t]) => [k.slice(g.length + 1), t])));
      const finalsOf = async (g: EduGroup): Promise<PlatformBatch> => {
        const last = scope.scopeYearOnly ? lastLessonsRange(periods.of(g), scope, schoolZone) : undefined;
        if (last) noteScheduledTeachers(await get('edu-groups/{g}/lessons/{from}/{to}', { g: g.id_str, from: last[0], to: last[1] }), subjectTeachers);
        const page = await get('edu-groups/{g}/final-marks', { g: g.id_str });
        await periods.cover(g, { ids: periodsNamedByFinals(page) });
        const finals = scope.scopeYearOnly ? finalsOfScopeYear(page, periods.of(g), scope, schoolZone) : page;
        return batch('edu-groups/{g}/final-marks', finals, {
          g: g.id_str, ref: refFor(g), subjectTeachers: teachersOf(g.id_str), ...(ctx.personId_str ? { reader: ctx.personId_str } : {}),
        });
      };
      const read = unread ? groups.filter((g) => !unread.refused(g)) : groups;
      // A class refusing its periods when read again for a page (class-periods.ts) leaves that page out too.
      const finalsOfRead = (u: UnreadGroups, g: EduGroup) => u.ask(g.id_str, async () => { const b = await finalsOf(g); return u.refused(g) ? undefined : b; });
      for await (const b of ordered(read.map((g) => () => (unread ? finalsOfRead(unread, g) : finalsOf(g))), concurrency)) if (b) yield b;
    }
    if (unread) {
      unread.assertSomeRead();
      // Each refused group as a page of its own, which the mapper quarantines: the read is partial, and says which.
      for (const r of unread.pages()) yield batch('edu-groups/{id}', null, { id: r.id, refused: r.refused, ...(r.type ? { refusedType: r.type } : {}) });
    }
    // That year's groups whose ids the platform kept into a later year were not asked for (year-groups.ts): each is
    // said as a page of its own too, which the mapper quarantines by id — the read is partial, and says which.
    for (const id of keptGroupsNotRead(scope)) yield batch('edu-groups/{id}', null, { id, kept: 'later-year' });
    // Only once every page is handed on: a read cut off part-way keeps the cache as it was.
    await periods.save();
  }

  // Grade push names targets generically (contract.ts WriteOp.targetIds); the Дневник.ру write needs the
  // person, the edu-group and subject of the section (`{group}:{subject}`), the work type's id and the period.
  // Work types are a school's own table: an account that sees several schools (a district's) must use the one of the
  // school being pushed (`targetIds.school`, the configured school id), not whichever users/me/context lists first.
  const workTypeIds = oncePerKey(async (school: string) => new Map((await readWorkTypes(school)).matched.map((x) => [x.code, x.id] as const)));
  const workTypeIdOf = async (code: string, schoolId?: string) => (await workTypeIds(schoolId ?? await firstSchool())).get(code);
  const periodsOf = oncePerKey((eduGroup: string) => get<{ id_str: string; type: string; number: number }[]>('edu-groups/{id}/reporting-periods', { id: eduGroup }));
  async function markTargets(t: Readonly<Record<string, string>>): Promise<Record<string, string | undefined>> {
    if (t.person && t.eduGroup && t.workType) return t; // already in this platform's terms
    const [eduGroup, subject] = (t.section ?? '').split(':');
    const workType = t.workTypeCode ? await workTypeIdOf(t.workTypeCode, t.school) : undefined;
    let period: { type: string; number: number } | undefined;
    if (t.gradingPeriod && eduGroup) {
      period = (await periodsOf(eduGroup)).find((p) => p.id_str === t.gradingPeriod);
    }
    return {
      person: t.student, lesson: t.lesson, eduGroup, subject, workType: workType === undefined ? undefined : String(workType), workTitle: t.workTitle,
      periodNumber: period ? String(period.number) : undefined, periodType: period?.type, dueDate: t.dueDate,
    };
  }

  // One pupil's marks on a lesson are planned together: a mark the system of record renumbered is never written twice.
  const writeMarks = markWriter({
    targets: markTargets,
    readLessonWorks: (lesson) => get('works', {}, { lesson }),
    readMark: (id) => get('marks/{id}', { id }),
    createWork: async (body) => (await http.post<LessonWork>('/v2/works', { json: body })).data,
    postMark: async (person, work, body) => (await http.post<unknown>('/v2/persons/{p}/works/{w}/mark', { pathParams: { p: person, w: work }, json: body, retrySafe: true })).data,
  });

  /** The first school the account sees: for an account of one school, or a write that names none. */
  async function firstSchool(): Promise<string> {
    const ctx = await get<{ schools?: { id_str: string }[] }>('users/me/context');
    const school = ctx.schools?.[0]?.id_str;
    if (!school) throw new Error('dnevnik: the account sees no school (users/me/context has no schools)');
    return school;
  }

  /** The school's zone for wall-clock write fields: the config's, else from the pushed school's `School.timeZone`. */
  async function zone(schoolId?: string): Promise<string> {
    if (tz) return tz;
    const id = schoolId ?? await firstSchool();
    const school = await get<{ timeZone?: number }>('schools/{id}', { id });
    tz = ZONE_BY_OFFSET[school.timeZone ?? 3] ?? 'Europe/Moscow';
    return tz;
  }

  async function writeAttendance(ops: readonly AttendanceWriteOp[]): Promise<WriteResult[]> {
    const out: WriteResult[] = [];
    const zoneOf = ops.length ? await zone(ops[0].targetIds.school) : 'Europe/Moscow';
    for (const op of ops) {
      const person = op.targetIds.person ?? op.targetIds.student;
      const lesson = op.targetIds.lesson;
      if (!person || !lesson) {
        out.push({ operationId: op.operationId, status: 'refused', reason: 'dnevnik: cannot place the absence (no person or lesson on the target)', retryable: false });
        continue;
      }
      try {
        if (op.action === 'delete') await http.delete('/v2/lessons/{lesson}/log-entries', { pathParams: { lesson }, query: { person } });
        else {
          await http.put('/v2/lessons/{lesson}/log-entries', {
            pathParams: { lesson }, query: { person }, json: logEntryBody(op.record, { person, lesson }, localDateTimeOf(op.record.recordedAt, zoneOf)),
          });
        }
        out.push({ operationId: op.operationId, status: 'applied', sourceId: `${lesson}:${person}` });
      } catch (e) {
        out.push(writeFailure(op.operationId, e));
      }
    }
    return out;
  }

  // No retry of the POST after a 5xx: a second homework work would read back as the two texts joined.
  const writeLessons = homeworkWriter({
    readLessons: (g, from, to) => get('edu-groups/{g}/lessons/{from}/{to}', { g, from, to }),
    readLessonWorks: (lesson) => get('works', {}, { lesson }),
    createWork: async (body) => (await http.post('/v2/works', { json: body })).data,
    workTypeIdOf, windowDays: cfg.windowDays,
  });

  return {
    declaration: dnevnikDeclaration,
    open: () => http.open(() => auth.login()),
    close: () => http.logout(),
    readSchool,
    writeMarks,
    writeAttendance,
    writeLessons,
    get http() { return http; },
  } as Connector & { http: HttpClient };
}

export type { Json };
