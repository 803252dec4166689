// ЭлЖур API v1.4 as the emulator serves it (platforms.md §4.2–§4.5, §6.1): `devkey`/`vendor`/`auth_token`
// query checks, `/api/auth` (GET query, POST form, POST JSON), `apiv3/getusersvendors?v_token=` without the
// envelope, the `{response:{state, error, result}}` envelope with failures inside a 200, `days=YYYYMMDD-
// YYYYMMDD`, results keyed by pupil id, and every method in `out_format=json` or `xml`.
import { randomBytes } from 'node:crypto';
import type { EmuRequest, EmuResponse, EmuRoute } from '../kit/index.js';
import { route } from '../kit/index.js';
import { toEljurXml } from '../../mappers/eljur/xml.js';
import { mtypeOf, type EljurWorld, type ELesson, type EPeriod, type EPupil } from './world.js';

export interface EmuUser { role: string; login: string; password: string; personId: string; vToken: string }
export interface EljurApiState {
  devkey: string;
  users: EmuUser[];
  /** token → user and the vendor it was issued for (tokens are per vendor, §4.5). */
  tokens: Map<string, { user: EmuUser; vendor: string }>;
  /** parent person id → their children's person ids (guardian links). */
  children: Map<string, string[]>;
  /** What the malformed-record fault corrupted: `mark:<pupil>:<lesson>:<nm>`. */
  malformed: Set<string>;
}

const MAX_RANGE_DAYS = 31;
const WEEKDAYS = ['Воскресенье', 'Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота'];

/** Every parameter of a request: the query plus a form or JSON body (the three auth forms, §4.2). */
function paramsOf(req: EmuRequest): Record<string, string> {
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  return { ...req.query, ...Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])) };
}

/** The envelope in the format asked for. Failures are HTTP 200 with the failure in `state` (§4.2). */
export function envelope(req: EmuRequest, state: number, error: string | null, result: unknown, httpStatus = 200): EmuResponse {
  const body = { response: { state, error, result } };
  if (paramsOf(req).out_format === 'xml') return { status: httpStatus, text: toEljurXml(body.response), headers: { 'content-type': 'application/xml; charset=utf-8' } };
  return { status: httpStatus, json: body };
}
const fail = (req: EmuRequest, state: number, error: string) => envelope(req, state, error, {});

function daysOf(p: Record<string, string>): [string, string] | string {
  const m = /^(\d{8})-(\d{8})$/.exec(p.days ?? '');
  if (!m) return 'параметр days должен иметь вид YYYYMMDD-YYYYMMDD';
  const span = (Date.parse(`${m[2].slice(0, 4)}-${m[2].slice(4, 6)}-${m[2].slice(6)}`) - Date.parse(`${m[1].slice(0, 4)}-${m[1].slice(4, 6)}-${m[1].slice(6)}`)) / 86_400_000;
  if (span < 0 || span > MAX_RANGE_DAYS) return `диапазон days: от 0 до ${MAX_RANGE_DAYS} дней`;
  return [m[1], m[2]];
}

export function eljurRoutes(world: EljurWorld, state: EljurApiState): EmuRoute[] {
  const byUid = world.pupilByUid();
  const childrenOf = state.children;
  const name = (p: { familyName: string; givenName: string }) => `${p.familyName} ${p.givenName}`;

  const issue = (u: EmuUser, vendor: string) => {
    const token = randomBytes(24).toString('hex');
    state.tokens.set(token, { user: u, vendor });
    return { token, expires: '2099-01-01 00:00:00' };
  };

  /** An API method: devkey, vendor and auth_token checks, then the handler. */
  const api = (method: string, h: (req: EmuRequest, p: Record<string, string>, user: EmuUser) => EmuResponse) =>
    route('*', `/api/${method}`, (req) => {
      const p = paramsOf(req);
      if (p.devkey !== state.devkey) return fail(req, 403, 'не удалось авторизовать разработчика');
      if (p.vendor !== world.vendor) return fail(req, 400, 'неизвестный vendor');
      const t = state.tokens.get(p.auth_token ?? '');
      if (!t) return fail(req, 401, 'токен недействителен или устарел');
      if (t.vendor !== p.vendor) return fail(req, 401, 'токен выдан для другого vendor');
      return h(req, p, t.user);
    }, { name: method });

  /** The pupils a request is about (`student=` comma list [S]); `undefined` = a refusal already answered. */
  const pupilsFor = (req: EmuRequest, p: Record<string, string>, u: EmuUser): EPupil[] | EmuResponse => {
    const visible = (pp: EPupil & { personId: string }) =>
      u.role === 'administrator' || u.role === 'teacher' || pp.personId === u.personId || (childrenOf.get(u.personId) ?? []).includes(pp.personId);
    const ids = p.student ? p.student.split(',') : u.role === 'student' ? [world.pupils.get(u.personId)?.id ?? ''] : (childrenOf.get(u.personId) ?? []).map((c) => world.pupils.get(c)!.id);
    const out: EPupil[] = [];
    for (const id of ids) {
      const pp = byUid.get(id.trim());
      if (!pp || !visible(pp)) return fail(req, 403, `нет доступа к ученику ${id}`);
      out.push(pp);
    }
    return out;
  };

  const item = (l: ELesson, rings: boolean, extra: Record<string, unknown> = {}) => ({
    name: l.subject, num: String(l.num), sort: l.num * 100, room: '', teacher: l.teacherName, teacher_id: l.teacherId, topic: l.topic ?? '',
    lesson_id: l.id, ...(l.grp ? { grp: l.grp, grp_short: l.grp.replace(' группа', ' гр.') } : {}), is_control: l.topic?.startsWith('Контрольная') ? '__yes' : 0,
    homework: l.homework ? { [`${l.id}1`]: { id: `${l.id}1`, value: l.homework, individual: false } } : {}, files: [], resources: [],
    ...(rings && l.start ? { starttime: `${l.start}:00`, endtime: `${l.end}:00` } : {}), ...extra,
  });
  const daysFor = (lessons: ELesson[], rings: boolean) => {
    const days: Record<string, { name: string; title: string; items: Record<string, unknown> }> = {};
    for (const l of lessons) {
      const d = (days[l.date] ??= { name: l.date, title: WEEKDAYS[new Date(`${l.date.slice(0, 4)}-${l.date.slice(4, 6)}-${l.date.slice(6)}T12:00:00Z`).getUTCDay()], items: {} });
      let key = String(l.num);
      while (key in d.items) key += '.1'; // two subgroups at one hour in a class view
      d.items[key] = item(l, rings);
    }
    return days;
  };
  const student = (pp: EPupil) => ({ name: pp.id, title: name(pp.rec) });

  return [
    ...['/api/auth', '/apiv3/auth'].map((path) => route('*', path, (req) => {
      const p = paramsOf(req);
      if (p.devkey !== state.devkey) return fail(req, 403, 'не удалось авторизовать разработчика');
      if (p.vendor !== world.vendor) return fail(req, 400, 'неизвестный vendor');
      const u = state.users.find((x) => x.login === p.login && x.password === p.password);
      if (!u) return fail(req, 403, 'неверный логин или пароль');
      return envelope(req, 200, null, issue(u, p.vendor));
    }, { name: 'auth' })),
    route('GET', '/apiv3/getusersvendors', (req) => {
      const u = state.users.find((x) => x.vToken === req.query.v_token);
      if (!u) return { status: 400, json: { error: 'v_token недействителен', result: false } };
      const p = world.persons.get(u.personId);
      return { status: 200, json: { result: [{ ...issue(u, world.vendor), vendor: world.vendor, vendor_id: world.vendorId, vendor_title: world.schoolTitle, user_title: p ? name(p) : '', login: u.login }] } };
    }, { name: 'getusersvendors' }),

    api('getrules', (req, _p, u) => {
      const p = world.persons.get(u.personId)!;
      const uid = world.userId.get(u.personId)!;
      const staff = u.role === 'administrator' || u.role === 'teacher';
      const pupils = staff ? [...world.pupils.values()]
        : u.role === 'student' ? [world.pupils.get(u.personId)!] : (childrenOf.get(u.personId) ?? []).map((c) => world.pupils.get(c)!);
      const classes = staff ? [...world.classes.values()] : [...new Set(pupils.map((x) => x.cls))].map((c) => world.classes.get(c)!);
      return envelope(req, 200, null, {
        id: uid, name: uid, title: name(p), firstname: p.givenName, middlename: p.middleName ?? '', lastname: p.familyName, gender: p.sex ?? '',
        roles: [u.role === 'administrator' ? 'administrator' : u.role], vendor: world.vendor, vendor_id: world.vendorId, vuid: `${world.vendorId}#${uid}`,
        relations: {
          groups: Object.fromEntries(classes.map((c) => [c.name, { name: c.name, parallel: String(c.parallel), balls: '5', rel: staff ? 'staff' : 'child', rules: [], hometeacher_id: c.teacherId ?? '' }])),
          schools: [{ title: world.schoolTitle, number: '', inn: '', kpp: '', title_full: world.schoolTitle }],
          students: Object.fromEntries(pupils.map((x) => [x.id, {
            name: x.id, title: name(x.rec), firstname: x.rec.givenName, lastname: x.rec.familyName, middlename: x.rec.middleName ?? '',
            gender: x.rec.sex ?? '', class: x.cls, parallel: String(x.parallel), city: '', rel: 'child', rules: [],
          }])),
        },
      });
    }),
    // One entry per pupil asked for (`student=`, [S]) with their class's periods — a senior class is graded by
    // half-years, the others by quarters; without it, the account's own entry with every period of the school.
    api('getperiods', (req, p, u) => {
      const periods = (list: EPeriod[]) => list.map((x) => ({ name: x.name, fullname: x.fullname, start: x.start, end: x.end, disabled: false, ambigious: false, weeks: [] }));
      if (!p.student) return envelope(req, 200, null, { students: [{ name: world.userId.get(u.personId), title: '', periods: periods(world.periods) }] });
      const pupils = pupilsFor(req, p, u);
      if (!Array.isArray(pupils)) return pupils;
      return envelope(req, 200, null, { students: pupils.map((pp) => ({ name: pp.id, title: '', periods: periods(world.periodsOfClass.get(pp.cls) ?? world.periods) })) });
    }),
    api('getdiary', (req, p, u) => {
      const days = daysOf(p);
      if (typeof days === 'string') return fail(req, 400, days);
      const pupils = pupilsFor(req, p, u);
      if (!Array.isArray(pupils)) return pupils;
      return envelope(req, 200, null, { students: Object.fromEntries(pupils.map((pp) => [pp.id, { ...student(pp), parent_signed: false, days: daysFor(world.lessonsOf(pp, days[0], days[1]), p.rings === 'true' || p.rings === '1') }])) });
    }),
    api('getschedule', (req, p, u) => {
      const days = daysOf(p);
      if (typeof days === 'string') return fail(req, 400, days);
      const rings = p.rings === 'true' || p.rings === '1';
      if (p.class) {
        const cls = world.classes.get(p.class);
        if (!cls) return fail(req, 400, `класс ${p.class} не найден`);
        const lessons = [...world.lessonsBySection.values()].flat().filter((l) => l.cls === cls.name && l.date >= days[0] && l.date <= days[1])
          .sort((a, b) => a.date.localeCompare(b.date) || a.num - b.num);
        return envelope(req, 200, null, { days: daysFor(lessons, rings) });
      }
      const pupils = pupilsFor(req, p, u);
      if (!Array.isArray(pupils)) return pupils;
      return envelope(req, 200, null, { students: Object.fromEntries(pupils.map((pp) => [pp.id, { ...student(pp), days: daysFor(world.lessonsOf(pp, days[0], days[1]), rings) }])) });
    }),
    api('gethomework', (req, p, u) => {
      const days = daysOf(p);
      if (typeof days === 'string') return fail(req, 400, days);
      const pupils = pupilsFor(req, p, u);
      if (!Array.isArray(pupils)) return pupils;
      return envelope(req, 200, null, { students: Object.fromEntries(pupils.map((pp) => {
        const out: Record<string, { name: string; title: string; items: Record<string, unknown> }> = {};
        for (const l of world.lessonsOf(pp, days[0], days[1])) {
          if (!l.homework) continue;
          (out[l.date] ??= { name: l.date, title: '', items: {} }).items[l.subject] = { name: l.subject, homework: { [`${l.id}1`]: { id: `${l.id}1`, value: l.homework, individual: false } }, files: [] };
        }
        return [pp.id, { days: out }];
      })) });
    }),
    api('getmarks', (req, p, u) => {
      const days = daysOf(p);
      if (typeof days === 'string') return fail(req, 400, days);
      const pupils = pupilsFor(req, p, u);
      if (!Array.isArray(pupils)) return pupils;
      return envelope(req, 200, null, { students: Object.fromEntries(pupils.map((pp) => {
        const bySubject = new Map<string, unknown[]>();
        const personId = byUid.get(pp.id)!.personId;
        for (const m of world.marksByPupil.get(personId) ?? []) {
          if (m.lesson.date < days[0] || m.lesson.date > days[1]) continue;
          let e: Record<string, unknown> = m.absence
            ? { value: m.value, date: m.date, lesson_id: m.lesson.id, nm: '1', count: false, convert: 0, countas: 0, comment: '', color_hex: '#c00', lesson_comment: '', max_mark: '' }
            : {
              value: m.value, weight: m.weight, weight_float: `${m.weight}.0`, date: m.date, lesson_id: m.lesson.id, nm: String(m.slot),
              count: /^[1-5]/.test(m.value) ? 'yes' : 'no', countas: String(Number.parseInt(m.value, 10) || 0), convert: Number.parseInt(m.value, 10) || 0,
              comment: m.comment ?? '', color_hex: '', lesson_comment: '', max_mark: '5', mtype: mtypeOf(m.workType),
            };
          if (req.faults.malformed()) {
            state.malformed.add(`${m.absence ? 'absence' : 'mark'}:${pp.id}:${m.lesson.id}:${m.absence ? 0 : m.slot}`);
            e = { ...e, date: `${m.date.replace(/-/g, '.')}` }; // a date the schema refuses
          }
          (bySubject.get(m.lesson.subject) ?? bySubject.set(m.lesson.subject, []).get(m.lesson.subject)!).push(e);
        }
        const lessons = [...bySubject].map(([subject, marks]) => ({ name: subject, lesson_id: world.subjectIds.get(subject) ?? '', average: '4.50', averageConvert: 4.5, color_hex: '', marks }));
        return [pp.id, { ...student(pp), lessons }];
      })) });
    }),
    api('getfinalassessments', (req, p, u) => {
      const pupils = pupilsFor(req, p, u);
      if (!Array.isArray(pupils)) return pupils;
      return envelope(req, 200, null, { students: Object.fromEntries(pupils.map((pp) => {
        const bySubject = new Map<string, unknown[]>();
        for (const f of world.finalsByPupil.get(byUid.get(pp.id)!.personId) ?? []) {
          (bySubject.get(f.subject) ?? bySubject.set(f.subject, []).get(f.subject)!).push({ period: f.period, value: f.value, comment: '', convert: Number(f.value) || 0, color_hex: '' });
        }
        return [pp.id, { ...student(pp), items: [...bySubject].map(([subject, assessments]) => ({ name: subject, assessments })) }];
      })) });
    }),
  ];
}
