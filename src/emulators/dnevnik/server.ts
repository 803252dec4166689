// The Дневник.ру partner API v2 as the emulator serves it (platforms.md §3, §6.1): `Access-Token`,
// bycredentials / code exchange / refresh at `authorizations`, `{type, description}` errors, unpaged
// range routes (the emulator refuses ranges over 31 days), int64 ids with `_str` twins, writes.
import { randomBytes } from 'node:crypto';
import type { EmuRequest, EmuResponse, EmuRoute } from '../kit/index.js';
import { route } from '../kit/index.js';
import { int64Of, stringifyInt64 } from './int64.js';
import {
  renderFinals, renderGroup, renderLesson, renderLogEntry, renderMarkObject, renderPeriod, renderPerson, renderTeacher, renderUser, renderWork,
} from './render.js';
import { MARK_SYSTEMS } from '../../mappers/dnevnik/codes.js';
import type { DnevnikWorld, NGroup, NLesson, NMark, NWork } from './world.js';

export const EMULATOR_CLIENT = { clientId: 'jg-emulator-app', clientSecret: 'emulator-client-secret' };
export interface EmuUser { role: string; login: string; password: string; personId: string; code: string }

/** A JSON answer with int64 ids written as bare integers. */
export const int64Json = (data: unknown, status = 200): EmuResponse => ({ status, body: stringifyInt64(data), headers: { 'content-type': 'application/json; charset=utf-8' } });
export const apiError = (status: number, type: string, description: string): EmuResponse => ({ status, json: { type, description } });

const MAX_RANGE_DAYS = 31;
const dayOf = (s: string) => s.slice(0, 10);

export interface DnevnikApiState {
  users: EmuUser[];
  tokens: Map<string, EmuUser>;
  refreshTokens: Map<string, EmuUser>;
  failedLogins: Map<string, number>;
  /** Canonical-free record of what was deliberately corrupted: `${kind}:${platform id}`. */
  malformed: Set<string>;
  /**
   * Groups refused by id (group id → status), as the platform refuses an archived group or one the account lost access
   * to: every by-id route of the group answers `{type, description}` — 403 `accessDenied`, 404 `parameterInvalid`.
   * Read on every request: a test may change it while the emulator runs.
   */
  refusedGroups?: ReadonlyMap<string, 403 | 404>;
}

/**
 * `previous` (with `startDnevnikEmulator({ previousYear })`): the school's world a school year earlier, for the autumn
 * re-read of last year's final marks and a one-off read of last year's journal. As the platform is taken to ([U],
 * docs/platforms/dnevnik.md), last year's groups are no longer listed by `schools/{id}/edu-groups` but still answer by
 * id — `edu-groups/{id}`, its reporting periods, lessons, marks, attendance and final marks — with last year's data;
 * a group id both years hold is this year's group.
 */
export function dnevnikRoutes(world: DnevnikWorld, state: DnevnikApiState, previous?: DnevnikWorld): EmuRoute[] {
  const lessonsByGroup = new Map<bigint, NLesson[]>();
  // Last year's lessons too (of groups this year does not hold): a read of last year's final marks learns from them who
  // taught each subject, as a read of the year did (connectors/dnevnik/year-groups.ts).
  const oldLessons = [...previous?.lessons.values() ?? []].filter((l) => !world.groups.has(l.group));
  for (const l of [...world.lessons.values(), ...oldLessons]) (lessonsByGroup.get(l.group) ?? lessonsByGroup.set(l.group, []).get(l.group)!).push(l);
  for (const list of lessonsByGroup.values()) list.sort((a, b) => a.date.localeCompare(b.date) || a.number - b.number);
  const worksByLesson = new Map<bigint, NWork[]>();
  const addWork = (w: NWork) => (worksByLesson.get(w.lesson) ?? worksByLesson.set(w.lesson, []).get(w.lesson)!).push(w);
  for (const w of [...world.works.values(), ...previous?.works.values() ?? []]) addWork(w);
  const marksByLesson = new Map<bigint, NMark[]>();
  const markKey = new Map<string, NMark>();
  const addMark = (m: NMark) => {
    (marksByLesson.get(m.lesson) ?? marksByLesson.set(m.lesson, []).get(m.lesson)!).push(m);
    markKey.set(`${m.person}:${m.work}:${m.number}`, m);
  };
  for (const m of world.marks.values()) addMark(m);
  // Last year's marks of last year's lessons, for reads only: a write never finds one (not in `markKey`).
  const oldLessonIds = new Set(oldLessons.map((l) => l.id));
  for (const m of previous?.marks.values() ?? []) if (oldLessonIds.has(m.lesson)) (marksByLesson.get(m.lesson) ?? marksByLesson.set(m.lesson, []).get(m.lesson)!).push(m);
  // A mark taken out of the world (a teacher deleting it by hand, in a test) is gone from every answer and no longer
  // found by a write; one written again under the same id is the new one.
  const live = (m: NMark | undefined) => (m !== undefined && (world.marks.get(m.id) ?? (oldLessonIds.has(m.lesson) ? previous?.marks.get(m.id) : undefined)) === m ? m : undefined);
  /** A lesson of this year, else one of last year's groups (`previous`), with the world it belongs to. */
  const anyYearLesson = (id: string): { l: NLesson; of: DnevnikWorld } | undefined => {
    if (!/^\d+$/.test(id)) return undefined;
    const l = world.lessons.get(BigInt(id));
    if (l) return { l, of: world };
    const old = oldLessonIds.has(BigInt(id)) ? previous?.lessons.get(BigInt(id)) : undefined;
    return old && previous ? { l: old, of: previous } : undefined;
  };
  const marksOfLesson = (lesson: bigint) => (marksByLesson.get(lesson) ?? []).filter((m) => live(m));
  const personByUser = new Map([...world.persons.entries()].map(([cid, p]) => [String(p.userId), cid]));
  const personById = new Map([...world.persons.entries()].map(([cid, p]) => [String(p.id), cid]));

  const issue = (u: EmuUser) => {
    const accessToken = randomBytes(16).toString('hex');
    const refreshToken = randomBytes(16).toString('hex');
    state.tokens.set(accessToken, u);
    state.refreshTokens.set(refreshToken, u);
    const p = world.persons.get(u.personId);
    return int64Json({ accessToken, refreshToken, expiresDate: '2099-01-01T00:00:00', user: p?.userId ?? 0n, user_str: String(p?.userId ?? 0n), scope: 'Schools,Relatives,EduGroups,Lessons,marks,EduWorks' });
  };
  const clientOk = (b: Record<string, unknown>) => b.client_id === EMULATOR_CLIENT.clientId && b.client_secret === EMULATOR_CLIENT.clientSecret;

  /** Wraps an API handler with the `Access-Token` check. */
  const api = (method: string, path: string, h: (req: EmuRequest, user: EmuUser) => EmuResponse, name?: string) =>
    route(method, `/v2/${path}`, (req) => {
      const token = req.headers['access-token'];
      const user = typeof token === 'string' ? state.tokens.get(token) : undefined;
      if (!user) return apiError(401, 'authorizationFailed', 'Access token is missing, invalid or expired');
      return h(req, user);
    }, { name: name ?? `${method} ${path}` });
  /** A school-scoped route answers for this school only, as the platform does: another id is not found. */
  const ofSchool = (key: string, h: (req: EmuRequest, user: EmuUser) => EmuResponse) => (req: EmuRequest, user: EmuUser) =>
    (req.params[key] !== String(world.school.id) ? apiError(404, 'parameterInvalid', 'school not found') : h(req, user));
  const group = (req: EmuRequest, key = 'g') => world.groups.get(BigInt(/^\d+$/.test(req.params[key] ?? '') ? req.params[key] : '0'));
  /** A group of this year, else of last year (`previous`), with the world it belongs to: the by-id routes answer both. */
  const refusal = (req: EmuRequest, key: string): EmuResponse | undefined => {
    const status = state.refusedGroups?.get(req.params[key] ?? '');
    if (status === 403) return apiError(403, 'accessDenied', 'access to the edu-group denied');
    if (status === 404) return apiError(404, 'parameterInvalid', 'edu-group not found');
    return undefined;
  };
  const anyYearGroup = (req: EmuRequest, key: string): { g: NGroup; of: DnevnikWorld } | undefined => {
    const g = group(req, key);
    if (g) return { g, of: world };
    const old = previous?.groups.get(BigInt(/^\d+$/.test(req.params[key] ?? '') ? req.params[key] : '0'));
    return old && previous ? { g: old, of: previous } : undefined;
  };
  const range = (from: string | undefined, to: string | undefined): [string, string] | EmuResponse => {
    if (!from || !to || !/^\d{4}-\d{2}-\d{2}/.test(from) || !/^\d{4}-\d{2}-\d{2}/.test(to)) return apiError(400, 'parameterInvalid', 'from/to must be dates');
    const days = (Date.parse(dayOf(to)) - Date.parse(dayOf(from))) / 86_400_000;
    if (days < 0 || days > MAX_RANGE_DAYS) return apiError(400, 'parameterInvalid', `range must be 0..${MAX_RANGE_DAYS} days`);
    return [dayOf(from), dayOf(to)];
  };
  const lessonsIn = (g: bigint, from: string, to: string) => (lessonsByGroup.get(g) ?? []).filter((l) => dayOf(l.date) >= from && dayOf(l.date) <= to);
  const teacherOnly = (u: EmuUser) => (u.role === 'teacher' || u.role === 'administrator' ? undefined : apiError(403, 'accessDenied', 'teacher scope required'));
  /** Malformed-record fault: drop a required twin so the record fails its schema. */
  const maybeBreak = <T extends Record<string, unknown>>(req: EmuRequest, kind: string, id: string, obj: T, field: string): T => {
    if (!req.faults.malformed()) return obj;
    state.malformed.add(`${kind}:${id}`);
    return { ...obj, [field]: undefined };
  };

  return [
    route('POST', '/v2/authorizations/bycredentials', (req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      const login = String(b.username ?? '');
      if ((state.failedLogins.get(login) ?? 0) >= 5) return apiError(400, 'maxAttempsExceeded', 'Too many login attempts');
      const u = state.users.find((x) => x.login === login && x.password === b.password);
      if (!clientOk(b) || !u) {
        state.failedLogins.set(login, (state.failedLogins.get(login) ?? 0) + 1);
        return apiError(401, 'authorizationFailed', 'Invalid credentials');
      }
      state.failedLogins.delete(login);
      return issue(u);
    }, { name: 'POST authorizations/bycredentials' }),
    route('POST', '/v2/authorizations', (req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (!clientOk(b)) return apiError(401, 'authorizationFailed', 'Unknown client');
      if (b.grant_type === 'RefreshToken') {
        const u = state.refreshTokens.get(String(b.refreshToken));
        if (!u) return apiError(401, 'authorizationFailed', 'Invalid refresh token');
        state.refreshTokens.delete(String(b.refreshToken));
        return issue(u);
      }
      const u = state.users.find((x) => x.code === b.code);
      if (!u) return apiError(401, 'authorizationFailed', 'Invalid authorization code');
      u.code = `used-${randomBytes(4).toString('hex')}`; // single use
      return issue(u);
    }, { name: 'POST authorizations' }),

    api('GET', 'users/me/context', (_r, u) => {
      const p = world.persons.get(u.personId)!;
      return int64Json({
        ...{ userId: p.userId, userId_str: String(p.userId), personId: p.id, personId_str: String(p.id) }, roles: [u.role],
        schools: [{ id: world.school.id, id_str: String(world.school.id), name: world.school.name, type: 'School', groupIds: [] }],
        schoolIds: [world.school.id], shortName: `${p.rec.familyName} ${p.rec.givenName.slice(0, 1)}.`,
      });
    }),
    api('GET', 'schools/{id}', (req) => (req.params.id !== String(world.school.id) ? apiError(404, 'parameterInvalid', 'school not found') : int64Json({
      id: world.school.id, id_str: String(world.school.id), name: world.school.name, fullName: world.school.fullName, city: null, regionId: 63,
      markType: 'Mark5', timeZone: world.school.timeZone, uses_avg: true, uses_weighted_avg: true, educationType: 'Regular',
    }))),
    api('GET', 'schools/{id}/edu-groups', ofSchool('id', () => int64Json([...world.groups.values()].map((g) => renderGroup(g, world))))),
    api('GET', 'edu-groups/{id}/persons', (req) => {
      const refused = refusal(req, 'id');
      if (refused) return refused;
      const g = group(req, 'id');
      if (!g) return apiError(404, 'parameterInvalid', 'edu-group not found');
      return int64Json([...g.pupils].map((pid) => renderPerson(world.persons.get(pid)!)));
    }),
    api('GET', 'edu-groups/{id}', (req) => {
      const refused = refusal(req, 'id');
      if (refused) return refused;
      const found = anyYearGroup(req, 'id');
      return found ? int64Json(renderGroup(found.g, found.of)) : apiError(404, 'parameterInvalid', 'edu-group not found');
    }),
    api('GET', 'edu-groups/{id}/reporting-periods', (req) => {
      const refused = refusal(req, 'id');
      if (refused) return refused;
      const found = anyYearGroup(req, 'id');
      return found ? int64Json(found.of.periods.map(renderPeriod)) : apiError(404, 'parameterInvalid', 'edu-group not found');
    }),
    api('GET', 'schools/{id}/subjects', ofSchool('id', () => int64Json([...world.subjects.entries()].map(([id, s]) => ({ id, idStr: String(id), name: s.name, knowledgeArea: s.area ?? null }))))),
    // Body: a list of user ids (numbers or the decimal strings an int64-safe client sends).
    api('POST', 'users/many', (req) => {
      const ids = Array.isArray(req.body) ? (req.body as unknown[]).map(String) : undefined;
      if (!ids) return apiError(400, 'parameterInvalid', 'expected a list of user ids');
      if (ids.length > 100) return apiError(400, 'parameterInvalid', 'at most 100 ids per call');
      const byUser = world.personsByUser();
      return int64Json(ids.flatMap((id) => { const p = byUser.get(id); return p ? [renderUser(p)] : []; }));
    }),
    api('GET', 'schools/{id}/teachers', ofSchool('id', () => int64Json([...world.teachers].map((pid) => renderTeacher(world.persons.get(pid)!))))),
    api('GET', 'schools/{id}/membership', ofSchool('id', (req) => (req.query.schoolMembershipType === 'Admins'
      ? int64Json([...world.admins].map((pid) => renderPerson(world.persons.get(pid)!))) : int64Json([])))),
    api('GET', 'users/{id}/relatives', (req) => {
      const pupil = personByUser.get(req.params.id);
      if (!pupil) return apiError(404, 'parameterInvalid', 'user not found');
      return int64Json((world.relatives.get(pupil) ?? []).map((r) => ({
        relativeType: r.relation === 'mother' ? 'Mother' : r.relation === 'father' ? 'Father' : 'Other', person: renderPerson(world.persons.get(r.guardian)!),
      })));
    }),
    api('GET', 'work-types/{school}', ofSchool('school', () => int64Json([...world.workTypeWeights.entries()].map(([id, w]) => ({ id, id_str: String(id), schoolId: world.school.id, kindId: 1, kind: 'Mark', title: w.title, abbr: w.abbr, weight: w.weight }))))),
    api('GET', 'marks/values', () => int64Json(Object.entries(MARK_SYSTEMS).map(([type, s]) => ({ type, values: s.values })))),
    api('GET', 'lesson-log-entries/statuses', () => int64Json(['Attend', 'Absent', 'Ill', 'Late', 'Pass'])),
    // One mark by its id (platforms.md §3.4 lists it among the read routes): after `marks/values`, which it would match.
    api('GET', 'marks/{id}', (req) => {
      const m = /^\d+$/.test(req.params.id) ? world.marks.get(BigInt(req.params.id)) : undefined;
      return m ? int64Json(renderMarkObject(m)) : apiError(404, 'parameterInvalid', 'mark not found');
    }),
    api('GET', 'edu-groups/{g}/lessons/{from}/{to}', (req) => {
      const refused = refusal(req, 'g');
      if (refused) return refused;
      const found = anyYearGroup(req, 'g');
      const r = range(req.params.from, req.params.to);
      if (!found) return apiError(404, 'parameterInvalid', 'edu-group not found');
      if (!Array.isArray(r)) return r;
      return int64Json(lessonsIn(found.g.id, r[0], r[1]).map((l) => renderLesson(l, found.of, worksByLesson.get(l.id) ?? [])));
    }),
    // Body: a list of lesson ids, as `users/many` takes user ids ([U]: platforms.md §3.6 lists the route, not its body).
    api('POST', 'lessons/many', (req) => {
      const ids = Array.isArray(req.body) ? (req.body as unknown[]).map(String) : undefined;
      if (!ids || ids.some((id) => !/^\d+$/.test(id))) return apiError(400, 'parameterInvalid', 'expected a list of lesson ids');
      if (ids.length > 100) return apiError(400, 'parameterInvalid', 'at most 100 ids per call');
      return int64Json(ids.flatMap((id) => {
        const found = anyYearLesson(id);
        return found ? [renderLesson(found.l, found.of, worksByLesson.get(found.l.id) ?? [])] : [];
      }));
    }),
    // Every mark of one lesson, whatever day each was set (the connector reads a cell whole: lessons-seen.ts).
    api('GET', 'lessons/{id}/marks', (req) => {
      const l = anyYearLesson(req.params.id)?.l;
      if (!l) return apiError(404, 'parameterInvalid', 'lesson not found');
      return int64Json(marksOfLesson(l.id).map((m) => maybeBreak(req, 'mark', String(m.id), renderMarkObject(m), 'person_str')));
    }),
    api('GET', 'works', (req) => {
      const lesson = /^\d+$/.test(req.query.lesson ?? '') ? BigInt(req.query.lesson) : -1n;
      return int64Json((worksByLesson.get(lesson) ?? []).map(renderWork));
    }),
    api('POST', 'works', (req, u) => {
      const deny = teacherOnly(u);
      if (deny) return deny;
      const b = (req.body ?? {}) as Record<string, unknown>;
      const lesson = world.lessons.get(BigInt(String(b.lesson ?? '0').replace(/\D/g, '') || '0'));
      if (!lesson || typeof b.workType !== 'number') return apiError(400, 'parameterInvalid', 'lesson and workType are required');
      const id = int64Of(`work:${lesson.id}:${b.workType}:${(worksByLesson.get(lesson.id) ?? []).length}`);
      const w: NWork = {
        id, ...(typeof b.type === 'string' ? { type: b.type } : {}), workType: b.workType, markType: String(b.markType ?? 'mark5'), lesson: lesson.id, eduGroup: lesson.group, subjectId: lesson.subject,
        text: String(b.text ?? ''), sentDate: lesson.date, targetDate: typeof b.targetDate === 'string' ? b.targetDate : null,
        periodNumber: Number(b.periodNumber ?? 0), periodType: String(b.periodType ?? 'Quarter'),
      };
      world.works.set(id, w);
      addWork(w);
      return int64Json(renderWork(w), 201);
    }, 'POST works'),
    api('POST', 'persons/{p}/works/{w}/mark', (req, u) => {
      const deny = teacherOnly(u);
      if (deny) return deny;
      const work = world.works.get(BigInt(/^\d+$/.test(req.params.w) ? req.params.w : '0'));
      const person = personById.get(req.params.p);
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (!work || !person) return apiError(404, 'parameterInvalid', 'person or work not found');
      const type = String(b.type ?? 'mark5') as keyof typeof MARK_SYSTEMS;
      // The platform takes only the values `marks/values` lists for the mark system (a 7 in mark5, an empty «точка»: no).
      if (!(type in MARK_SYSTEMS) || typeof b.value !== 'string' || !(MARK_SYSTEMS[type].values as readonly string[]).includes(b.value)) {
        return apiError(400, 'parameterInvalid', 'unknown mark type or a value its mark system does not list (marks/values)');
      }
      const number = Number(b.number ?? 1);
      const pid = world.persons.get(person)!.id;
      const existing = live(markKey.get(`${pid}:${work.id}:${number}`));
      const fields = { type, value: b.value, textValue: String(b.textValue ?? b.value), number, date: typeof b.date === 'string' ? b.date : work.sentDate };
      if (existing) {
        Object.assign(existing, fields); // one mark per pupil × work × number: a repeated POST replaces it
        return int64Json(renderMarkObject(existing));
      }
      const m: NMark = { id: int64Of(`mark:${pid}:${work.id}:${number}`), ...fields, person: pid, work: work.id, lesson: work.lesson, workType: work.workType };
      world.marks.set(m.id, m);
      addMark(m);
      return int64Json(renderMarkObject(m), 201);
    }),
    // Last year's groups answer by id too ([U]: a one-off read of last year's journal, past-year-window.ts).
    api('GET', 'edu-groups/{g}/marks/{from}/{to}', (req) => {
      const refused = refusal(req, 'g');
      if (refused) return refused;
      const found = anyYearGroup(req, 'g');
      const r = range(req.params.from, req.params.to);
      if (!found) return apiError(404, 'parameterInvalid', 'edu-group not found');
      if (!Array.isArray(r)) return r;
      const g = found.g;
      const out: unknown[] = [];
      // Marks dated by the day they were set are filtered by that day, whatever their lesson's.
      const marks = found.of.markDates === 'set-day'
        ? (lessonsByGroup.get(g.id) ?? []).flatMap((l) => marksOfLesson(l.id)).filter((m) => dayOf(m.date) >= r[0] && dayOf(m.date) <= r[1])
        : lessonsIn(g.id, r[0], r[1]).flatMap((l) => marksOfLesson(l.id));
      for (const m of marks) out.push(maybeBreak(req, 'mark', String(m.id), renderMarkObject(m), 'person_str'));
      return int64Json(out);
    }),
    api('GET', 'lesson-log-entries/group/{g}', (req) => {
      const refused = refusal(req, 'g');
      if (refused) return refused;
      const found = anyYearGroup(req, 'g');
      const r = range(req.query.from, req.query.to);
      if (!found) return apiError(404, 'parameterInvalid', 'edu-group not found');
      if (!Array.isArray(r)) return r;
      const { g, of } = found;
      const out: unknown[] = [];
      for (const l of lessonsIn(g.id, r[0], r[1])) {
        if (req.query.subject && req.query.subject !== String(l.subject)) continue;
        for (const p of g.pupils) {
          const e = of.logEntries.get(`${l.id}:${of.persons.get(p)!.id}`);
          if (e) out.push(maybeBreak(req, 'log', `${e.lesson}:${e.person}`, renderLogEntry(e), 'lesson_str'));
        }
      }
      return int64Json(out);
    }),
    api('PUT', 'lessons/{lesson}/log-entries', (req, u) => writeLog(req, u, true)),
    api('POST', 'lessons/{lesson}/log-entries', (req, u) => writeLog(req, u, false)),
    api('DELETE', 'lessons/{lesson}/log-entries', (req, u) => {
      const deny = teacherOnly(u);
      if (deny) return deny;
      world.logEntries.delete(`${req.params.lesson}:${req.query.person}`);
      return { status: 204 };
    }),
    api('GET', 'edu-groups/{g}/final-marks', (req) => {
      const refused = refusal(req, 'g');
      if (refused) return refused;
      const found = anyYearGroup(req, 'g');
      if (!found) return apiError(404, 'parameterInvalid', 'edu-group not found');
      const g = found.g;
      return int64Json(renderFinals(found.of.finals.filter((f) => f.group === g.id)).map((f, i) => maybeBreak(req, 'final', `${g.id}:${i}`, f as Record<string, unknown>, 'reportingPeriod_str')));
    }),
  ];

  function writeLog(req: EmuRequest, u: EmuUser, upsert: boolean): EmuResponse {
    const deny = teacherOnly(u);
    if (deny) return deny;
    const b = (req.body ?? {}) as Record<string, unknown>;
    const lesson = world.lessons.get(BigInt(/^\d+$/.test(req.params.lesson) ? req.params.lesson : '0'));
    const personCid = personById.get(String(b.person ?? req.query.person ?? ''));
    const status = String(b.status ?? '');
    if (!lesson || !personCid) return apiError(404, 'parameterInvalid', 'lesson or person not found');
    if (!['Attend', 'Absent', 'Ill', 'Late', 'Pass'].includes(status)) return apiError(400, 'parameterInvalid', 'unknown status');
    const pid = world.persons.get(personCid)!.id;
    const key = `${lesson.id}:${pid}`;
    if (!upsert && world.logEntries.has(key)) return apiError(400, 'parameterInvalid', 'log entry exists: use PUT');
    const e = { person: pid, lesson: lesson.id, status, comment: typeof b.comment === 'string' ? b.comment : null, createdDate: typeof b.createdDate === 'string' ? b.createdDate : lesson.date };
    if (status === 'Attend') world.logEntries.delete(key);
    else world.logEntries.set(key, e);
    return int64Json(renderLogEntry(e));
  }
}
