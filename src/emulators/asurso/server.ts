// NetSchool web API as the emulator serves it (platforms.md §1.2, §1.5, §1.6, §6.1): `logindata` cookie,
// `auth/getdata` (random lt/ver/salt), `login` checking pw2 = md5(salt + md5(cp1251(password))), 409 with a
// Russian message, throttling, header `at` (401 without), SecurityWarning.asp hand-off for a second live
// session, session time-out, `auth/logout`; the teacher journal routes and quickedit writes; the diary.
import { randomBytes, randomInt } from 'node:crypto';
import type { EmuRequest, EmuResponse, EmuRoute } from '../kit/index.js';
import { json, route } from '../kit/index.js';
import { loginHash } from '../../connectors/asurso/hash.js';
import { THROTTLE_TEXT } from '../../connectors/asurso/classify.js';
import { ATTENDANCE_LETTERS } from '../../mappers/asurso/codes.js';
import type { AsursoWorld, NCol, NMeeting } from './world.js';
import { reportRoutes, type ReportState } from './reports.js';

export interface EmuUser { role: string; login: string; password: string; personId: number }
export interface Session { user: EmuUser; ver: string; lastSeen: number; warn: boolean }

export interface AsursoApiState {
  users: EmuUser[];
  /** `NSSESSIONID` cookie → the pending getdata of that browser session. */
  pending: Map<string, { lt: string; ver: string; salt: string } | null>;
  sessions: Map<string, Session>;
  failedLogins: Map<string, number>;
  /** `logindata.esiaMainAuth`: a Госуслуги-only host (auth/getdata then gives nothing). */
  esiaOnly: boolean;
  timeOutMs: number;
  logouts: number;
  /** `result:<assignId>:<studentId>` / `att:<cmId>:<studentId>` of records deliberately corrupted. */
  malformed: Set<string>;
  now: () => number;
  /** Report tasks, hub connections and report files (./reports.ts). */
  reports: ReportState;
  /** The server version `logindata` and `context` state; the report-queue hub served depends on it (./reports.ts). */
  version: string;
  /** The ASP.NET Core hub drops a connection it has heard nothing from for this long (ClientTimeoutInterval). */
  hubClientTimeoutMs: number;
}

export const MAX_FAILED_LOGINS = 5;
const message = (status: number, text: string): EmuResponse => ({ status, json: { message: text } });
const SECURITY_PAGE = '<html><body><script>location.href="/asp/SecurityWarning.asp"</script></body></html>';
const nsDate = (d: string) => `${d.slice(0, 10)}T00:00:00`;
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export function asursoRoutes(world: AsursoWorld, state: AsursoApiState): EmuRoute[] {
  const sessionOf = (req: EmuRequest): Session | undefined => {
    const at = req.headers.at;
    return typeof at === 'string' ? state.sessions.get(at) : undefined;
  };
  /** Wraps an API handler with the `at` check, the session time-out and the SecurityWarning hand-off. */
  const api = (method: string, path: string, h: (req: EmuRequest, s: Session) => EmuResponse | Promise<EmuResponse>) =>
    route(method, `/webapi/${path}`, (req) => {
      const s = sessionOf(req);
      const now = state.now();
      if (!s || now - s.lastSeen > state.timeOutMs) {
        if (s) state.sessions.delete(String(req.headers.at));
        return message(401, 'Сессия завершена. Войдите в систему заново');
      }
      s.lastSeen = now;
      if (s.warn) return { status: 200, text: SECURITY_PAGE, headers: { 'content-type': 'text/html; charset=utf-8' } };
      return h(req, s);
    }, { name: `${method} ${path}` });
  const staff = (s: Session) => ['teacher', 'administrator', 'director', 'deputy_academic'].includes(s.user.role);
  const year = (req: EmuRequest) => Number(req.query.yearId) === world.schoolYear.id;
  const int = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : -1);

  const renderCol = (req: EmuRequest, m: NMeeting, c: NCol, lastOf: Map<number, number>) => ({
    id: c.id, typeId: c.typeId, assignmentName: c.name, weight: c.weight, dueDate: c.dueDate,
    results: [...c.results].map(([studentId, r]) => {
      const item = { studentId, mark: r.mark, dutyMark: r.duty, ...(r.date ? { date: r.date } : {}) };
      // Malformed-record fault: only a pupil's last mark on the lesson, so no other mark changes its slot.
      if (lastOf.get(studentId) === c.id && req.faults.malformed()) {
        state.malformed.add(`result:${c.id}:${studentId}`);
        return { ...item, mark: 'пять' };
      }
      return item;
    }),
    comments: [...c.comments].map(([studentId, text]) => ({ studentId, text })),
  });
  const renderMeeting = (req: EmuRequest, m: NMeeting) => {
    const lastOf = new Map<number, number>();
    for (const c of m.columns) for (const s of c.results.keys()) lastOf.set(s, c.id);
    return {
      id: m.id, date: m.date, scheduleTimeNumber: m.number, startTime: m.startTime, endTime: m.endTime, lessonTheme: m.theme ?? null,
      teacherId: m.teacher, substituteTeacherId: m.substitute ?? null, canceled: m.canceled,
      assignments: m.columns.map((c) => renderCol(req, m, c, lastOf)),
      attendance: [...m.attendance].map(([studentId, reason]) => {
        if (req.faults.malformed()) {
          state.malformed.add(`att:${m.id}:${studentId}`);
          return { studentId };
        }
        return { studentId, reason };
      }),
    };
  };
  const person = (id: number) => {
    const p = world.persons.get(id)!.rec;
    return { id, lastName: p.familyName, firstName: p.givenName, middleName: p.middleName ?? null };
  };

  return [
    route('GET', '/webapi/logindata', () => {
      const sid = randomBytes(12).toString('hex');
      state.pending.set(sid, null);
      return {
        json: {
          productName: 'Сетевой Город. Образование', version: state.version, schoolLogin: !state.esiaOnly, emLogin: false,
          esiaLogin: true, esiaMainAuth: state.esiaOnly, esiaButton: true, signatureLogin: false, windowsAuth: false, enableSms: false,
        },
        cookies: [{ name: 'NSSESSIONID', value: sid }],
      };
    }, { name: 'GET logindata' }),
    route('GET', '/webapi/schools/search', (req) => {
      // The bare list is refused since ~2023 (lentryd #14): a name substring is required.
      if (!req.query.name) return message(403, 'Доступ запрещён');
      const q = req.query.name.toLowerCase();
      const hit = world.school.name.toLowerCase().includes(q) || world.school.shortName.toLowerCase().includes(q);
      return json(hit ? [{ id: world.school.id, name: world.school.name, shortName: world.school.shortName, inn: null, ogrn: null, cityId: 1, provinceId: 1, addressString: '' }] : []);
    }, { name: 'GET schools/search' }),
    route('POST', '/webapi/auth/getdata', (req) => {
      const sid = req.cookies.NSSESSIONID;
      if (!sid || !state.pending.has(sid)) return message(400, 'Нет сессии: обновите страницу входа');
      if (state.esiaOnly) return json({}); // «Сетевой не вернул данные для авторизации» (lentryd #25)
      const d = { lt: digits(9), ver: digits(9), salt: digits(9) };
      state.pending.set(sid, d);
      return json(d);
    }, { name: 'POST auth/getdata' }),
    route('POST', '/webapi/login', (req) => {
      const b = (req.body ?? {}) as Record<string, string>;
      const sid = req.cookies.NSSESSIONID;
      const pend = sid ? state.pending.get(sid) : undefined;
      if (!pend || b.lt !== pend.lt || b.ver !== pend.ver) return message(409, 'Сессия входа устарела, обновите страницу');
      state.pending.set(sid!, null); // lt is single-use
      const login = String(b.un ?? '');
      const fails = state.failedLogins.get(login) ?? 0;
      if (fails >= MAX_FAILED_LOGINS) return message(409, `${THROTTLE_TEXT} через 60 секунд`);
      const u = state.users.find((x) => x.login === login);
      const want = u ? loginHash(u.password, pend.salt) : undefined;
      if (String(b.loginType) !== '1' || Number(b.scid) !== world.school.id || !u || b.pw2 !== want!.pw2 || b.pw !== want!.pw) {
        state.failedLogins.set(login, fails + 1);
        return message(409, 'Неправильный пароль или имя пользователя');
      }
      state.failedLogins.delete(login);
      const other = [...state.sessions.values()].some((s) => s.user === u);
      const at = digits(26);
      state.sessions.set(at, { user: u, ver: pend.ver, lastSeen: state.now(), warn: other });
      return json({
        at, timeOut: state.timeOutMs, code: null, accessToken: null, refreshToken: null, tokenType: null,
        entryPoint: other ? '/asp/SecurityWarning.asp' : '/angular/school/main/', requestData: other ? { warnType: '2' } : null, errorMessage: null,
        accountInfo: { activeToken: null, user: { id: u.personId, name: '' }, currentOrganization: { id: world.school.id, name: world.school.shortName }, userRoles: [] },
      });
    }, { name: 'POST login' }),
    route('POST', '/asp/SecurityWarning.asp', (req) => {
      const b = (req.body ?? {}) as Record<string, string>;
      const s = state.sessions.get(String(b.at ?? ''));
      if (!s) return { status: 200, text: '<html><body>Сессия завершена</body></html>', headers: { 'content-type': 'text/html; charset=utf-8' } };
      s.warn = false;
      return { status: 200, text: '<html><body>OK</body></html>', headers: { 'content-type': 'text/html; charset=utf-8' } };
    }, { name: 'POST SecurityWarning.asp' }),
    route('POST', '/webapi/auth/logout', (req) => {
      const at = String(req.headers.at ?? ((req.body ?? {}) as Record<string, string>).at ?? '');
      if (state.sessions.delete(at)) state.logouts++;
      return { status: 200 };
    }, { name: 'POST auth/logout', noFaults: true }),
    api('GET', 'context/expired', (req) => json(!state.sessions.has(String(req.query.token ?? '')))),
    api('GET', 'context', (_req, s) => json({
      at: null, userId: s.user.personId, funcType: 'School', schoolId: world.school.id, schoolYearId: world.schoolYear.id,
      globalYearId: world.schoolYear.globalYearId, productName: 'Сетевой Город. Образование', version: state.version,
      organization: { id: world.school.id, name: world.school.shortName }, roles: [roleName(s.user.role)],
      schoolyear: { id: world.schoolYear.id, name: world.schoolYear.name, closed: 'Open', schoolId: world.school.id, startDate: nsDate(world.schoolYear.startDate), endDate: nsDate(world.schoolYear.endDate), globalYear: { id: world.schoolYear.globalYearId } },
      user: { id: s.user.personId, name: '' }, dateFormat: 'd\u0001mm\u0001yy\u0001.', timeFormat: 'hh:mm',
    })),
    api('GET', 'years/current', () => json({ id: world.schoolYear.id, name: world.schoolYear.name, startDate: nsDate(world.schoolYear.startDate), endDate: nsDate(world.schoolYear.endDate), globalYearId: world.schoolYear.globalYearId })),
    api('GET', 'grade/assignment/types', () => json([...world.types].map(([id, t], i) => ({ id, name: t.name, abbr: t.abbr, order: i })))),
    api('GET', 'grade/journal/assignments/types/weights', () => json([...world.types].map(([typeId, t]) => ({ typeId, weight: t.weight })))),
    api('GET', 'grade/attendance/reasons', () => json(Object.keys(ATTENDANCE_LETTERS).map((mark, i) => ({ id: i + 1, mark, name: REASON_NAMES[mark] })))),
    // The panel is dependent (§1.6): TERMID lists the terms of the class chosen in PCLID_IUP (`classId`, default the first).
    api('GET', 'grade/journal/filter/init', (req, s) => {
      if (!staff(s)) return message(403, 'Нет прав');
      const classes = [...world.classes.values()];
      const chosen = world.classes.get(int(req.query.classId)) ?? classes[0];
      return json({
        filterSources: [
          { filterId: 'PCLID_IUP', items: classes.map((c) => ({ title: c.title, value: `${c.id}_0` })), defaultValue: chosen ? `${chosen.id}_0` : null },
          { filterId: 'TERMID', items: world.terms.filter((t) => chosen?.terms.includes(t.id)).map((t) => ({ title: t.name, value: String(t.id) })) },
        ],
      });
    }),
    api('GET', 'terms/{termId}', (req) => {
      const t = world.terms.find((x) => x.id === int(req.params.termId));
      return t ? json({ id: t.id, name: t.name, startDate: nsDate(t.startDate), endDate: nsDate(t.endDate), termType: t.kind, number: t.number }) : message(404, 'Период не найден');
    }),
    api('GET', 'subjectgroups', (req, s) => {
      if (!staff(s)) return message(403, 'Нет прав');
      const classId = int(req.query.classId);
      return json([...world.groups.values()].filter((g) => g.classId === classId).map((g) => ({
        id: g.id, name: g.name, classId: g.classId, className: world.classes.get(g.classId)?.title ?? '', subjectId: g.subjectId,
        subjectName: world.subjects.get(g.subjectId) ?? '', subgroupName: g.subgroupName, teachers: g.teachers.map(person),
      })));
    }),
    api('GET', 'grade/studentList', (req, s) => {
      if (!staff(s)) return message(403, 'Нет прав');
      const ids = req.query.sgId ? world.groups.get(int(req.query.sgId))?.pupils : world.classes.get(int(req.query.classId))?.pupils;
      if (!ids) return message(404, 'Класс или группа не найдены');
      return json(ids.map((id) => ({ ...person(id), nickName: '' })));
    }),
    api('GET', 'grade/journal', (req, s) => {
      if (!staff(s)) return message(403, 'Нет прав');
      // yearId is the school's schoolYearId; the country-wide globalYearId is refused (§1.8).
      if (!year(req)) return message(400, 'Учебный год не найден');
      const g = world.groups.get(int(req.query.sgId));
      const t = world.terms.find((x) => x.id === int(req.query.termId));
      if (!g || !t || int(req.query.classId) !== g.classId) return message(400, 'Неверные параметры фильтра');
      const meetings = (world.meetingsBySg.get(g.id) ?? []).filter((m) => world.termOf(g.id, m.date)?.id === t.id);
      return json({
        journals: [{ subjectGroupId: g.id, students: g.pupils, classMeeting: meetings.map((m) => renderMeeting(req, m)), lastAccess: { date: null, nickName: null } }],
        editLimit: { readOnly: false, limitPastEditHomeAssigns: false, restrictAddHomeAssign: false, attendanceReleasedMarkAllowed: true },
        markSettings: { minMark: 1, maxMark: 5 }, lastEditCmId: null,
      });
    }),
    api('GET', 'grade/journal/edit', (req, s) => {
      if (!staff(s)) return message(403, 'Нет прав');
      const m = world.meetings.get(int(req.query.cmid));
      if (!m || m.sg !== int(req.query.sgId)) return message(404, 'Урок не найден');
      const { assignments, attendance, ...lesson } = renderMeeting(req, m);
      // The edit screen names «точка» `duty`, the journal grid `dutyMark` (§1.6).
      const edit = assignments.map((a) => ({ ...a, results: a.results.map(({ dutyMark, ...r }) => ({ ...r, duty: dutyMark })) }));
      return json({ attendance, assignments: edit, lesson, moduleQA: null });
    }),
    api('POST', 'grade/journal/quickedit', (req, s) => {
      if (!staff(s)) return message(403, 'Нет прав на изменение журнала');
      const b = (req.body ?? {}) as { sgId?: number; results?: Record<string, unknown>[]; attendance?: Record<string, unknown>[] };
      const sg = world.groups.get(Number(b.sgId));
      if (!sg || !Array.isArray(b.results ?? []) || !Array.isArray(b.attendance ?? [])) return message(400, 'Неверный запрос');
      const created = new Map<string, NCol>();
      const answer: { cmId: number; assignId: number; studentId: number }[] = [];
      for (const r of b.results ?? []) {
        const m = world.meetings.get(Number(r.cmId));
        if (!m || m.sg !== sg.id) return message(400, `Урок ${String(r.cmId)} не относится к группе`);
        const studentId = Number(r.studentId);
        if (!sg.pupils.includes(studentId)) return message(400, 'Ученик не состоит в группе');
        let col = r.assignId == null ? undefined : m.columns.find((c) => c.id === Number(r.assignId));
        if (r.assignId != null && !col) return message(400, `Задание ${String(r.assignId)} не найдено`);
        if (!col) {
          // assignId null creates the column; one new column per lesson and type in one request.
          const key = `${m.id}:${String(r.assignTypeId)}`;
          col = created.get(key);
          if (!col) {
            const t = world.types.get(Number(r.assignTypeId));
            if (!t) return message(400, 'Неизвестный тип задания');
            col = { id: world.nextColumnId++, typeId: Number(r.assignTypeId), name: t.name, weight: t.weight, dueDate: null, results: new Map(), comments: new Map() };
            m.columns.push(col);
            created.set(key, col);
          }
        }
        const mark = r.mark;
        if (mark === null || mark === undefined) {
          if (r.dutyMark === true) col.results.set(studentId, { mark: null, duty: true });
          else col.results.delete(studentId); // clear the cell
        } else if (Number.isInteger(mark) && (mark as number) >= 1 && (mark as number) <= 5) {
          col.results.set(studentId, { mark: mark as number, duty: false });
        } else return message(400, 'Недопустимая оценка');
        answer.push({ cmId: m.id, assignId: col.id, studentId });
      }
      for (const a of b.attendance ?? []) {
        const m = world.meetings.get(Number(a.cmId));
        if (!m || m.sg !== sg.id) return message(400, `Урок ${String(a.cmId)} не относится к группе`);
        if (a.reason === null || a.reason === undefined) m.attendance.delete(Number(a.studentId));
        else if (typeof a.reason === 'string' && ATTENDANCE_LETTERS[a.reason]) m.attendance.set(Number(a.studentId), a.reason);
        else return message(400, 'Неизвестная причина отсутствия');
      }
      return json({ results: answer });
    }),
    api('GET', 'student/diary/init', (_req, s) => {
      const kids = s.user.role === 'parent' ? world.children.get(s.user.personId) ?? [] : s.user.role === 'student' ? [s.user.personId] : [];
      const list = kids.map((id) => {
        const cls = [...world.classes.values()].find((c) => c.pupils.includes(id));
        const p = world.persons.get(id)!.rec;
        return { studentId: id, nickName: `${p.familyName} ${p.givenName}`, className: cls?.title ?? '', classId: cls?.id ?? 0, iupGrade: 0 };
      });
      // Both forms seen in the wild (§1.5): parents get an object keyed by index and an index, pupils a list and an id.
      const parent = s.user.role === 'parent';
      return json({
        students: parent ? Object.fromEntries(list.map((x, i) => [String(i), x])) : list,
        currentStudentId: parent ? 0 : list[0]?.studentId ?? null,
        weekStart: nsDate(world.schoolYear.startDate), yaClass: false, newDiskToken: null, ttsuRl: null, externalUrl: null, weight: true, maxMark: 5, withLaAssigns: true,
      });
    }),
    api('GET', 'student/diary', (req, s) => {
      const sid = int(req.query.studentId);
      if (!mayRead(s, sid)) return message(403, 'Нет доступа к дневнику ученика');
      if (!year(req)) return message(400, 'Учебный год не найден');
      const from = String(req.query.weekStart ?? '');
      const to = String(req.query.weekEnd ?? '');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return message(400, 'Неверная дата');
      const days = new Map<string, unknown[]>();
      const groups = [...world.groups.values()].filter((g) => g.pupils.includes(sid));
      const lessons = groups.flatMap((g) => (world.meetingsBySg.get(g.id) ?? []).filter((m) => m.date.slice(0, 10) >= from && m.date.slice(0, 10) <= to).map((m) => ({ g, m })))
        .sort((a, b) => a.m.date.localeCompare(b.m.date) || a.m.number - b.m.number);
      for (const { g, m } of lessons) {
        const d = m.date.slice(0, 10);
        (days.get(d) ?? days.set(d, []).get(d)!).push({
          classmeetingId: m.id, day: m.date, number: m.number, relay: 1, room: null, startTime: m.startTime, endTime: m.endTime,
          subjectName: world.subjects.get(g.subjectId) ?? '',
          assignments: m.columns.map((c) => {
            const r = c.results.get(sid);
            const comment = c.comments.get(sid);
            return {
              id: c.id, typeId: c.typeId, assignmentName: c.name, weight: c.weight, dueDate: c.dueDate, classMeetingId: m.id, existsTestPlan: false,
              ...(r ? { mark: { assignmentId: c.id, studentId: sid, mark: r.mark, dutyMark: r.duty } } : {}),
              ...(comment ? { markComment: { id: 1, name: comment, teacher: null, wasRead: false } } : {}),
            };
          }),
        });
      }
      const t = groups[0] ? world.termOf(groups[0].id, from) ?? world.termOf(groups[0].id, to) : undefined;
      // Holidays: no `weekDays` key at all (§1.5).
      return json({ weekStart: nsDate(from), weekEnd: nsDate(to), termName: t?.name ?? null, className: null, ...(days.size ? { weekDays: [...days].map(([date, ls]) => ({ date: nsDate(date), lessons: ls })) } : {}) });
    }),
    api('GET', 'student/diary/assigns/{id}', (req, s) => {
      const sid = int(req.query.studentId);
      if (!mayRead(s, sid)) return message(403, 'Нет доступа');
      for (const m of world.meetings.values()) {
        const c = m.columns.find((x) => x.id === int(req.params.id));
        if (!c) continue;
        const g = world.groups.get(m.sg)!;
        return json({ id: c.id, assignmentName: c.name, activityName: null, problemName: null, subjectGroup: { id: g.id, name: g.name }, teacher: { id: m.teacher, name: '' }, productId: null, isDeleted: false, weight: c.weight, date: m.date, description: null, attachments: [] });
      }
      return message(404, 'Задание не найдено');
    }),
    ...reportRoutes(world, state.reports, api, mayRead, state.version),
  ];

  function mayRead(s: Session, studentId: number): boolean {
    if (s.user.role === 'student') return s.user.personId === studentId;
    if (s.user.role === 'parent') return (world.children.get(s.user.personId) ?? []).includes(studentId);
    return staff(s);
  }
}

const REASON_NAMES: Record<string, string> = {
  УП: 'Пропуск по уважительной причине', Б: 'Пропуск по болезни', НП: 'Пропуск по неуважительной причине', ОТ: 'Отсутствовал',
  ОП: 'Опоздание', ОСВ: 'Освобождён',
};

function roleName(role: string): string {
  return role === 'student' ? 'Student' : role === 'parent' ? 'Parent' : role === 'teacher' ? 'Teacher' : 'Administrator';
}
