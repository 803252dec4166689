// The ЭПОС.Школа API as the emulator serves it (platforms.md §2, §6.1): `lms/api/sessions` (POST with
// login + password_plain [A] or the cabinet `auth_token` [V], DELETE), the `auth_token`/`profile_id`
// cookies, `auth-token` + `profile-id` headers and the `pid` query enforced on every call, `{code, message}`
// errors, the МЭШ expired-session message, paged lists, both date formats, and the МЭШ teacher writes.
import { randomBytes } from 'node:crypto';
import type { EmuRequest, EmuResponse, EmuRoute } from '../kit/index.js';
import { json, route } from '../kit/index.js';
import { ABSENCE_REASONS, ATTENDANCE_EXISTS, SESSION_EXPIRED } from '../../mappers/epos/codes.js';
import { isoFromRu } from '../../mappers/epos/dates.js';
import { renderAttendance, renderControlForm, renderGroup, renderHomework, renderItem, renderMark, renderProgress, renderStudent, renderTeacher } from './render.js';
import type { EMark, EposWorld, ProfileType } from './world.js';

export interface EmuUser { role: string; login: string; password: string; profileId: number; cabinetToken: string }
export interface EposApiState {
  users: EmuUser[];
  /** authentication_token → the session's user. */
  sessions: Map<string, EmuUser>;
  /** Cabinet `auth_token` cookies still valid (revoke one to test an expired import). */
  cabinetTokens: Map<string, EmuUser>;
  /** What the malformed-record fault corrupted: `mark:<id>`, `attendance:<id>`. */
  malformed: Set<string>;
  /** API calls that came without an `auth-token` at all (a client that sent one while it was logging in again). */
  tokenless?: number;
  /**
   * Called with the whole marks list a `core/api/marks` request is answered from, before its page is cut: a test
   * deletes a mark there between two page requests of one read (the list changing under a paged read), or `insert`s
   * one under an id of its choosing (a low id lands before the others, as a new mark on a host listing newest first).
   */
  onMarksPage?: (req: { page: number; perPage: number; marks: readonly EMark[]; insert: (mark: EMark) => void }) => void;
}

export const apiError = (status: number, message: string): EmuResponse => ({ status, json: { code: status, message } });
const IS_ISO = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `previous` (with `startEposEmulator({ previousYear, listsPreviousYear })`): the world of the school year before,
 * which a real ЭПОС still lists in `core/api/academic_years` and answers by `academic_year_id` (its groups, periods,
 * control forms, and its pupils with that year's final marks) — what an autumn re-read of last year's final marks
 * needs. Only those year-scoped set-up and roster routes answer for it; the journal routes serve the current year.
 */
export function eposRoutes(world: EposWorld, state: EposApiState, previous?: EposWorld): EmuRoute[] {
  /** The world a year-scoped request is about: the previous year's when its `academic_year_id` names it. */
  const yearWorld = (req: EmuRequest): EposWorld =>
    previous && req.query.academic_year_id === String(previous.academicYear.id) ? previous : world;
  const yearItem = (w: EposWorld) => ({
    id: w.academicYear.id, name: w.academicYear.name, begin_date: w.academicYear.begin, end_date: w.academicYear.end, calendar_id: 1, current_year: w === world,
  });
  const itemsByGroup = new Map<number, number[]>();
  for (const s of world.schedule.values()) (itemsByGroup.get(s.group) ?? itemsByGroup.set(s.group, []).get(s.group)!).push(s.id);
  const marksByLesson = new Map<number, EMark[]>();
  const indexMark = (m: EMark) => (marksByLesson.get(m.lesson) ?? marksByLesson.set(m.lesson, []).get(m.lesson)!).push(m);
  for (const m of world.marks.values()) indexMark(m);

  const typeOf = (u: EmuUser): ProfileType => world.profiles.get(u.profileId)!.type;
  const childrenOf = new Map<number, number[]>();
  for (const [pupil, links] of world.parentsOf) for (const l of links) (childrenOf.get(l.parent) ?? childrenOf.set(l.parent, []).get(l.parent)!).push(pupil);
  /** Pupils a profile may see: staff all, a pupil themself, a parent their children (§2.3: `profiles[].children`). */
  const maySee = (u: EmuUser, pupil: number) => typeOf(u) === 'teacher' || typeOf(u) === 'school_admin' || u.profileId === pupil || (childrenOf.get(u.profileId) ?? []).includes(pupil);
  const groupsOfPupil = (pupil: number) => [...world.groups.values()].filter((g) => g.students.has(pupil)).map((g) => g.id);
  /**
   * Which lessons a journal read covers: `student_profile_id` (a pupil's own diary, any profile that may see
   * the pupil) or `group_id`/`group_ids` (class level, staff only).
   */
  const coverage = (req: EmuRequest, u: EmuUser, groupKey: string): { groups: number[]; pupil?: number } | EmuResponse => {
    if (req.query.student_profile_id) {
      const pupil = Number(req.query.student_profile_id);
      if (!maySee(u, pupil)) return apiError(403, 'Недостаточно прав для выполнения операции');
      return { groups: groupsOfPupil(pupil), pupil };
    }
    return staffOnly(u) ?? { groups: [...ids(req.query[groupKey])] };
  };
  /**
   * Every API call: `auth-token` header, `profile-id` header, `pid` query (§2.3, §2.6) — all three, as the platform
   * asks: an emulator that let one be missing would hide a client that forgot it.
   */
  const api = (method: string, path: string, h: (req: EmuRequest, user: EmuUser) => EmuResponse, name?: string) =>
    route(method, path, (req) => {
      const token = req.headers['auth-token'];
      if (typeof token !== 'string') state.tokenless = (state.tokenless ?? 0) + 1;
      const user = typeof token === 'string' ? state.sessions.get(token) : undefined;
      if (!user) return apiError(401, SESSION_EXPIRED);
      if (!req.query.pid) return apiError(400, 'Не указан параметр pid');
      const header = req.headers['profile-id'];
      if (req.query.pid !== String(user.profileId) || header !== String(user.profileId)) return apiError(403, 'Профиль не принадлежит пользователю');
      return h(req, user);
    }, { name: name ?? `${method} ${path}` });
  const staffOnly = (u: EmuUser) => (typeOf(u) === 'teacher' || typeOf(u) === 'school_admin' ? undefined : apiError(403, 'Недостаточно прав для выполнения операции'));
  const ids = (s: string | undefined) => new Set((s ?? '').split(',').filter((x) => /^\d+$/.test(x)).map(Number));
  /** `page`/`per_page` (1-based): the client stops at a short page (§2.6). */
  const paged = <T>(req: EmuRequest, list: T[], render: (x: T) => unknown): EmuResponse => {
    const per = Number(req.query.per_page ?? 50);
    const p = Number(req.query.page ?? 1);
    // Refused, not quietly cut: a client asking for more than a page holds would read a cut page as the last one.
    if (!Number.isInteger(per) || per < 1 || per > 1000 || !Number.isInteger(p) || p < 1) return apiError(400, 'Неверные параметры page/per_page (per_page от 1 до 1000)');
    return json(list.slice((p - 1) * per, p * per).map(render));
  };
  const maybeBreak = <T extends Record<string, unknown>>(req: EmuRequest, kind: string, id: number, obj: T, field: string): T => {
    if (!req.faults.malformed(`${kind}:${id}`)) return obj;
    state.malformed.add(`${kind}:${id}`);
    return { ...obj, [field]: undefined };
  };
  const ruRange = (from: string | undefined, to: string | undefined): [string, string] | EmuResponse => {
    const a = isoFromRu(from ?? '');
    const b = isoFromRu(to ?? '');
    // МЭШ mark and homework filters are dd.mm.yyyy; an ISO date here is the other route family's format.
    if (!a || !b) return apiError(400, 'Неверный формат даты: ожидается дд.мм.гггг');
    const real = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
    if (!real(a) || !real(b) || a > b) return apiError(400, 'Неверный период: несуществующая дата или начало позже конца');
    return [a, b];
  };
  const issue = (u: EmuUser): EmuResponse => {
    const token = randomBytes(16).toString('hex');
    state.sessions.set(token, u);
    const p = world.profiles.get(u.profileId)!;
    return {
      status: 200,
      json: {
        authentication_token: token, id: p.userId, guid: `guid-${p.userId}`, email: null, first_name: p.rec.givenName, last_name: p.rec.familyName,
        middle_name: p.rec.middleName ?? null, date_of_birth: p.rec.birthDate ?? null, password_change_required: false,
        profiles: [{ id: p.id, type: p.type, school_id: world.school.id, agree_pers_data: true, ...(p.type === 'parent' ? { children: (childrenOf.get(p.id) ?? []).map((id) => ({ id })) } : {}) }],
      },
      cookies: [{ name: 'auth_token', value: token }, { name: 'profile_id', value: String(p.id) }],
    };
  };

  return [
    route('POST', '/lms/api/sessions', (req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (typeof b.auth_token === 'string') {
        const u = state.cabinetTokens.get(b.auth_token);
        return u ? issue(u) : apiError(401, 'Токен авторизации недействителен или истёк');
      }
      const u = state.users.find((x) => x.login === b.login && x.password === b.password_plain);
      return u ? issue(u) : apiError(401, 'Неверный логин или пароль');
    }, { name: 'POST lms/api/sessions' }),
    route('DELETE', '/lms/api/sessions', (req) => {
      state.sessions.delete(String(req.query.authentication_token ?? ''));
      return json([]);
    }, { name: 'DELETE lms/api/sessions' }),

    api('GET', '/core/api/schools/{id}', (req) => (req.params.id !== String(world.school.id) ? apiError(404, 'Школа не найдена') : json({
      id: world.school.id, name: world.school.name, short_name: world.school.shortName, principal: null, address: null, email: null, site: null, guid: `school-${world.school.id}`,
    }))),
    api('GET', '/core/api/academic_years', () => json([...(previous ? [yearItem(previous)] : []), yearItem(world)])),
    // [U] The МЭШ web app's attestation period schedules: which class follows quarters, which half-years.
    api('GET', '/core/api/attestation_periods_schedules', (req) => { const w = yearWorld(req); return json(w.periodSchedules.map((p) => ({
      id: p.id, name: p.name, academic_year_id: w.academicYear.id, class_unit_ids: [...p.classUnits], periods: p.periods,
    }))); }),
    api('GET', '/core/api/control_forms', (req) => json([...yearWorld(req).controlForms.values()].map(renderControlForm))),
    api('GET', '/jersey/api/groups', (req, u) => {
      const want = ids(req.query.group_ids);
      // A family profile sees only the groups of its pupils.
      const visible = (g: { students: Set<number> }) => !staffOnly(u) || [...g.students].some((p) => maySee(u, p));
      return json([...yearWorld(req).groups.values()].filter((g) => (!want.size || want.has(g.id)) && visible(g)).map(renderGroup));
    }),
    api('GET', '/core/api/teacher_profiles', (_req, u) => staffOnly(u) ?? json([...world.profiles.values()].filter((p) => p.type === 'teacher').map((p) => renderTeacher(world, p)))),
    api('GET', '/core/api/student_profiles', (req, u) => {
      const deny = staffOnly(u);
      if (deny) return deny;
      const opts = { groups: req.query.with_groups === 'true', parents: req.query.with_parents === 'true', finals: req.query.with_final_marks === 'true' };
      const w = yearWorld(req);
      return paged(req, [...w.profiles.values()].filter((p) => p.type === 'student'), (p) => renderStudent(w, p, opts));
    }),
    // The family routes of §2.4 [V] (the connector reads the class-level ones; these serve diaries and tests).
    api('GET', '/core/api/student_profiles/{id}', (req, u) => {
      const p = world.profiles.get(Number(req.params.id));
      if (!p || p.type !== 'student') return apiError(404, 'Профиль не найден');
      if (!maySee(u, p.id)) return apiError(403, 'Недостаточно прав для выполнения операции');
      return json(renderStudent(world, p, { groups: req.query.with_groups === 'true', parents: false, finals: false }));
    }, 'GET /core/api/student_profiles/{id}'),
    api('GET', '/reports/api/progress/json', (req, u) => {
      const pupil = Number(req.query.student_profile_id);
      if (!world.profiles.has(pupil)) return apiError(404, 'Профиль не найден');
      if (!maySee(u, pupil)) return apiError(403, 'Недостаточно прав для выполнения операции');
      return json(renderProgress(world, pupil));
    }),
    api('GET', '/core/api/student_homeworks', (req, u) => {
      const pupil = Number(req.query.student_profile_id);
      if (!world.profiles.has(pupil)) return apiError(404, 'Профиль не найден');
      if (!maySee(u, pupil)) return apiError(403, 'Недостаточно прав для выполнения операции');
      // МЭШ filters by the day the homework is due (`begin_prepared_date`/`end_prepared_date`, dd.mm.yyyy).
      const r = ruRange(req.query.begin_prepared_date, req.query.end_prepared_date);
      if (!Array.isArray(r)) return r;
      const out = groupsOfPupil(pupil).flatMap((g) => itemsByGroup.get(g) ?? []).map((id) => world.schedule.get(id)!)
        .filter((s) => s.homework && s.homework.dueDate >= r[0] && s.homework.dueDate <= r[1]).sort((a, b) => a.id - b.id);
      return json(out.map((s) => renderHomework(world, s)));
    }),
    api('GET', '/jersey/api/schedule_items', (req, u) => {
      const cov = coverage(req, u, 'group_id');
      if (!('groups' in cov)) return cov;
      const { from, to } = req.query;
      if (!IS_ISO.test(from ?? '') || !IS_ISO.test(to ?? '')) return apiError(400, 'Неверный формат даты: ожидается ГГГГ-ММ-ДД');
      const out = cov.groups.flatMap((g) => itemsByGroup.get(g) ?? []).map((id) => world.schedule.get(id)!)
        .filter((s) => s.date >= from && s.date <= to).sort((a, b) => a.id - b.id);
      return paged(req, out, (s) => renderItem(world, s));
    }),
    api('GET', '/core/api/marks', (req, u) => {
      const cov = coverage(req, u, 'group_ids');
      if (!('groups' in cov)) return cov;
      let lessons: number[];
      if (req.query.schedule_lesson_id) {
        const deny = staffOnly(u);
        if (deny) return deny;
        lessons = [Number(req.query.schedule_lesson_id)];
      }
      else {
        // [U] created_at_from/to are taken to filter by the lesson date of the mark, not by when it was set.
        const r = ruRange(req.query.created_at_from, req.query.created_at_to);
        if (!Array.isArray(r)) return r;
        lessons = cov.groups.flatMap((g) => itemsByGroup.get(g) ?? []).filter((id) => { const d = world.schedule.get(id)!.date; return d >= r[0] && d <= r[1]; });
      }
      const list = () => lessons.flatMap((l) => marksByLesson.get(l) ?? []).filter((m) => world.marks.has(m.id) && (cov.pupil === undefined || m.student === cov.pupil)).sort((a, b) => a.id - b.id);
      if (state.onMarksPage) {
        const insert = (m: EMark) => { world.marks.set(m.id, m); indexMark(m); };
        state.onMarksPage({ page: Number(req.query.page ?? 1), perPage: Number(req.query.per_page ?? 50), marks: list(), insert });
      }
      return paged(req, list(), (m) => maybeBreak(req, 'mark', m.id, renderMark(m), 'student_profile_id'));
    }),
    api('GET', '/core/api/attendances', (req, u) => {
      const cov = coverage(req, u, 'group_ids');
      if (!('groups' in cov)) return cov;
      const r = ruRange(req.query.begin_date, req.query.end_date);
      if (!Array.isArray(r)) return r;
      const lessons = new Set(cov.groups.flatMap((g) => itemsByGroup.get(g) ?? []).filter((id) => { const d = world.schedule.get(id)!.date; return d >= r[0] && d <= r[1]; }));
      const out = [...world.attendances.values()].filter((a) => lessons.has(a.lesson) && (cov.pupil === undefined || a.student === cov.pupil)).sort((a, b) => a.id - b.id);
      return paged(req, out, (a) => maybeBreak(req, 'attendance', a.id, renderAttendance(a), 'schedule_lesson_id'));
    }),

    api('POST', '/core/api/marks', (req, u) => staffOnly(u) ?? writeMark(req, u), 'POST core/api/marks'),
    api('PUT', '/core/api/marks/{id}', (req, u) => staffOnly(u) ?? writeMark(req, u, world.marks.get(Number(req.params.id))), 'PUT core/api/marks/{id}'),
    api('DELETE', '/core/api/marks/{id}', (req, u) => {
      const deny = staffOnly(u);
      if (deny) return deny;
      return world.marks.delete(Number(req.params.id)) ? json({}) : apiError(404, 'Оценка не найдена');
    }, 'DELETE core/api/marks/{id}'),
    api('POST', '/core/api/attendances', (req, u) => {
      const deny = staffOnly(u);
      if (deny) return deny;
      const b = (req.body ?? {}) as Record<string, unknown>;
      const lesson = world.schedule.get(Number(b.schedule_lesson_id));
      const student = world.profiles.get(Number(b.student_profile_id));
      const reason = ABSENCE_REASONS[Number(b.absence_reason_id)];
      if (!lesson || !student || student.type !== 'student') return apiError(404, 'Урок или ученик не найден');
      if (!reason) return apiError(422, 'Неизвестная причина отсутствия');
      if (world.attendances.has(`${lesson.id}:${student.id}`)) return apiError(403, ATTENDANCE_EXISTS);
      const a = world.addAttendance({
        lesson: lesson.id, student: student.id, reasonId: Number(b.absence_reason_id), lateMinutes: typeof b.late_minutes === 'number' ? b.late_minutes : null,
        // The platform stamps who and when: the writing profile, now.
        createdAt: world.instantText(new Date().toISOString()), teacher: u.profileId,
      });
      return json(renderAttendance(a), 201);
    }, 'POST core/api/attendances'),
  ];

  /** `POST core/api/marks` / `PUT core/api/marks/{id}` with the МЭШ teacher body (§2.5). */
  function writeMark(req: EmuRequest, u: EmuUser, existing?: EMark): EmuResponse {
    if (req.method === 'PUT' && !existing) return apiError(404, 'Оценка не найдена');
    const b = (req.body ?? {}) as Record<string, unknown>;
    const lesson = world.schedule.get(Number(b.schedule_lesson_id));
    const student = world.profiles.get(Number(b.student_profile_id));
    const cf = [...world.controlForms.values()].find((c) => c.id === Number(b.control_form_id));
    if (!lesson || !student || !cf) return apiError(404, 'Урок, ученик или форма контроля не найдены');
    const origins = b.grade_origins as { grade_origin?: unknown }[] | undefined;
    const original = String(origins?.[0]?.grade_origin ?? '');
    const isPoint = b.is_point === true;
    const m = /^([1-5])([+-])?$/.exec(original);
    if (!isPoint && !m) return apiError(422, 'Недопустимое значение оценки');
    if (isPoint && (typeof b.point_date !== 'string' || !isoFromRu(b.point_date))) return apiError(422, 'Для точки нужна дата point_date (дд.мм.гггг)');
    const five = m ? Number(m[1]) + (m[2] === '+' ? 0.25 : m[2] === '-' ? -0.25 : 0) : null;
    const fields = {
      student: student.id, lesson: lesson.id, group: lesson.group, controlForm: cf.id, weight: typeof b.weight === 'number' ? b.weight : cf.weight,
      teacher: u.profileId, comment: typeof b.comment === 'string' && b.comment ? b.comment : null,
      isPoint, pointDate: isPoint ? isoFromRu(String(b.point_date))! : null, original, five, date: lesson.date,
      createdAt: existing?.createdAt ?? world.instantText(new Date().toISOString()),
    };
    if (existing) {
      Object.assign(existing, fields);
      return json(renderMark(existing));
    }
    const mark = world.addMark(fields);
    indexMark(mark);
    return json(renderMark(mark), 201);
  }
}
