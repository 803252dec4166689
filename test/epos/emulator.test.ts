// The emulator's family routes (platforms.md §6.1 for ЭПОС): the pupil profile, the progress report with
// periods and embedded marks, homework — behind the same session, `pid` and access checks.
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEposEmulator, type EposEmulator } from '../../src/emulators/epos/index.js';
import * as S from '../../src/connectors/epos/schemas.js';

let school: SyntheticSchool;
let emu: EposEmulator;

beforeAll(async () => {
  school = generateSchool({ seed: 17, pupils: 33, weeks: 2, timeZone: 'Asia/Yekaterinburg' });
  emu = await startEposEmulator({ dataset: school });
});
afterAll(() => emu?.close());

/** A session of one account, and a GET helper that sends auth-token, profile-id and pid. */
async function sessionOf(role: string) {
  const acc = emu.info.accounts.find((a) => a.role === role)!;
  const res = await fetch(`${emu.baseUrl}/lms/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: acc.login, password_plain: acc.password }) });
  const s = S.Session.parse(await res.json());
  const pid = s.profiles[0].id;
  const get = async (path: string, query: Record<string, string> = {}) => {
    const r = await fetch(`${emu.baseUrl}${path}?${new URLSearchParams({ ...query, pid: String(pid) })}`, { headers: { 'auth-token': s.authentication_token, 'profile-id': String(pid) } });
    return { status: r.status, body: await r.json() as unknown };
  };
  return { s, get, cookie: res.headers.get('set-cookie') ?? '' };
}

describe('ЭПОС emulator: family routes and access', () => {
  const pupilProfile = () => Number(emu.info.accounts.find((a) => a.role === 'student')!.profileId);
  const pupilPerson = () => emu.crosswalk().find((x) => x.entity === 'person' && x.sourceId === String(pupilProfile()))!.canonicalId;

  it('the session sets the auth_token and profile_id cookies; a parent profile lists its children', async () => {
    const { s, cookie } = await sessionOf('parent');
    expect(cookie).toMatch(/auth_token=/);
    expect(cookie).toMatch(/profile_id=/);
    expect(s.profiles[0].children?.map((c) => c.id)).toContain(pupilProfile());
  });

  it('reports/api/progress/json: the pupil\'s marks by period in the ЭПОС value shape, averages as strings', async () => {
    const { get } = await sessionOf('parent');
    const r = await get('/reports/api/progress/json', { academic_year_id: String(emu.info.academicYearId), student_profile_id: String(pupilProfile()), hide_half_years: 'true' });
    expect(r.status).toBe(200);
    const subjects = z.array(S.ProgressSubject).parse(r.body);
    const marks = subjects.flatMap((x) => x.periods.flatMap((p) => z.array(S.ProgressMark).parse(p.marks)));
    expect(marks.length).toBe(school.marksOfStudent(pupilPerson()).length);
    expect(marks.some((m) => m.values[0].original.endsWith('-') || m.values[0].original.endsWith('+') || m.is_point)).toBe(true);
    expect(subjects.some((x) => x.avg_five !== null && /^\d\.\d{2}$/.test(x.avg_five))).toBe(true);
  });

  it('core/api/student_homeworks filters by the due day in dd.mm.yyyy; an ISO date is refused', async () => {
    const { get } = await sessionOf('student');
    const dates = school.all('lesson').map((l) => l.date).sort();
    const ru = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
    const r = await get('/core/api/student_homeworks', { student_profile_id: String(pupilProfile()), begin_prepared_date: ru(dates[0]), end_prepared_date: ru(dates.at(-1)!) });
    expect(r.status).toBe(200);
    const list = r.body as { homework_entry: { description: string; homework: { date_prepared_for: string } } }[];
    expect(list.length).toBeGreaterThan(0);
    for (const h of list) expect(h.homework_entry.homework.date_prepared_for).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    expect((await get('/core/api/student_homeworks', { student_profile_id: String(pupilProfile()), begin_prepared_date: dates[0], end_prepared_date: dates[0] })).status).toBe(400);
  });

  it('a pupil sees only themself: another pupil\'s profile and progress are refused with {code, message}', async () => {
    const { get } = await sessionOf('student');
    const other = [...emu.world.profiles.values()].find((p) => p.type === 'student' && p.id !== pupilProfile())!.id;
    const own = await get(`/core/api/student_profiles/${pupilProfile()}`, { with_groups: 'true' });
    expect(S.StudentProfile.parse(own.body).groups.length).toBeGreaterThan(0);
    const r = await get('/reports/api/progress/json', { student_profile_id: String(other) });
    expect(r.status).toBe(403);
    expect(S.ApiError.parse(r.body).code).toBe(403);
    expect((await get(`/core/api/student_profiles/${other}`)).status).toBe(403);
  });
});

describe('ЭПОС emulator: as strict as the platform where leniency would hide a client bug', () => {
  it('refuses a call without the profile-id header or with the token only as a cookie, a page size above 1000, and an impossible or reversed period', async () => {
    const { s, get } = await sessionOf('teacher');
    const pid = String(s.profiles[0].id);
    const raw = (headers: Record<string, string>) => fetch(`${emu.baseUrl}/core/api/academic_years?pid=${pid}`, { headers }).then((r) => r.status);
    expect(await raw({ 'auth-token': s.authentication_token })).toBe(403);
    expect(await raw({ cookie: `auth_token=${s.authentication_token}`, 'profile-id': pid })).toBe(401);
    expect(await raw({ 'auth-token': s.authentication_token, 'profile-id': pid })).toBe(200);
    const groups = (await get('/jersey/api/groups')).body as { id: number }[];
    const marks = (q: Record<string, string>) => get('/core/api/marks', { group_ids: String(groups[0].id), ...q });
    expect((await marks({ created_at_from: '01.09.2025', created_at_to: '30.09.2025', per_page: '5000' })).status).toBe(400);
    expect((await marks({ created_at_from: '01.09.2025', created_at_to: '30.09.2025', per_page: 'abc' })).status).toBe(400);
    expect((await marks({ created_at_from: '99.99.2025', created_at_to: '30.09.2025' })).status).toBe(400);
    expect((await marks({ created_at_from: '30.09.2025', created_at_to: '01.09.2025' })).status).toBe(400);
    expect((await marks({ created_at_from: '01.09.2025', created_at_to: '30.09.2025', per_page: '1000' })).status).toBe(200);
  });
});
