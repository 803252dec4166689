// The АСУ РСО (NetSchool) connector (PLATFORM-SLICE.md §2). Whole-school reads go through the teacher
// journal routes (platforms.md §1.6 [U]): per class its subject groups and pupils, then one `grade/journal`
// page per subject group × term of the window, with a bounded look-ahead so the rate budget is used while
// memory stays flat. One child's diary through the parent/student routes (§1.5). Writes of marks and
// attendance through `grade/journal/quickedit` (journal-writer.ts). Every run ends with `auth/logout` (§1.2 step 10).
import * as z from 'zod';
import { workTypeByName } from '../../model/work-types.js';
import { ordered, scopeRanges, windows } from '../paging.js';
import { createHttpClient, CookieJar, type HttpClient } from '../http/index.js';
import { requireCapability, type Capability, type Connector, type ConnectorDeps, type PlatformBatch, type ReadScope } from '../contract.js';
import { parsePayload } from '../mapping.js';
import { dayOf } from '../../mappers/kit/wall-time.js';
import { FINALS_FILE, FINALS_QUEUE, REPORT_TABLE, finalsTaskBody } from './report-api.js';
import { AsursoAuth } from './auth.js';
import { asursoClassify } from './classify.js';
import { asursoDeclaration, type AsursoConfig } from './declaration.js';
import { AssignInfo, AssignmentType, Context, Diary, DiaryInit, diaryStudents } from './schemas.js';
import { FilterInit, StudentListItem, SubjectGroup, Term } from './teacher-api.js';
import { finalsOfClass, type ClassFinals } from './finals-read.js';
import { finalsDue } from '../../model/finals-due.js';
import { chooseReportHub } from './report-hub.js';
import { ReportQueue } from './report-queue.js';
import { journalWriter } from './journal-writer.js';

const READS: Capability[] = ['roster.read', 'journal.read', 'finals.read'];
const where = (route: string) => ({ platform: 'asurso', route });

/** Weeks covering [from, to] from `from` on (the diary is read week by week). */
export const weeks = (from: string, to: string): [string, string][] => windows(from, to, 7);

export function createAsursoConnector(cfg: AsursoConfig, deps: ConnectorDeps): Connector & { http: HttpClient; auth: AsursoAuth } {
  const jar = new CookieJar();
  let auth: AsursoAuth | undefined;
  const origin = cfg.baseUrl.replace(/\/$/, '');
  const http: HttpClient = createHttpClient({
    platform: 'asurso', instance: deps.instance, baseURL: origin, cookieJar: jar,
    // NetSchool wants a Referer of its own origin (§1.2 step 1).
    headers: { Referer: `${origin}/` },
    rateLimit: { ...cfg.rateLimit, ...deps.rateLimit }, retry: deps.retry, timeoutMs: deps.timeoutMs, classify: asursoClassify(() => auth?.securityWarningSeen()),
    logger: deps.logger, limiter: deps.limiter,
  });
  auth = new AsursoAuth(http, jar, cfg);
  if (cfg.auth.kind === 'password') http.redactor.add(cfg.auth.login);
  http.setAuth(auth);
  const now = deps.now ?? (() => new Date());
  const lookahead = Math.max(1, deps.rateLimit?.concurrency ?? cfg.rateLimit.concurrency);
  const tz = cfg.timeZone;

  const get = async <T = unknown>(route: string, query?: Record<string, string | number | boolean>, pathParams?: Record<string, string | number>) =>
    (await http.get<T>(`/webapi/${route}`, { query, pathParams })).data;
  const batch = (route: string, payload: unknown, ids: Record<string, string>): PlatformBatch =>
    ({ route, payload, context: { timeZone: tz, ids, fetchedAt: now().toISOString() } });

  async function typesRef(): Promise<{ payload: unknown; ref: string; byCode: Map<string, number> }> {
    const payload = await get('grade/assignment/types', { all: false });
    const types = parsePayload(z.array(AssignmentType), payload, where('grade/assignment/types'));
    const map: Record<string, string> = {};
    const byCode = new Map<string, number>();
    for (const t of types) {
      const def = workTypeByName(t.name);
      if (!def) continue;
      map[String(t.id)] = def.code;
      if (!byCode.has(def.code)) byCode.set(def.code, t.id);
    }
    return { payload, ref: JSON.stringify({ types: map, maxMark: 5 }), byCode };
  }

  async function* readSchool(scope: ReadScope): AsyncGenerator<PlatformBatch> {
    const caps = scope.capabilities ?? READS;
    for (const c of caps) requireCapability(asursoDeclaration, c);
    const ctxPayload = await get('context');
    const ctx = parsePayload(Context, ctxPayload, where('context'));
    // yearId of the journal and diary routes is the school's schoolYearId, never globalYearId (§1.8).
    const yearId = String(ctx.schoolYearId);
    const schoolId = String(scope.schoolSourceId ?? ctx.schoolId);
    const types = await typesRef();
    if (caps.includes('diary.read')) yield* readDiary(scope, yearId, types.ref);
    // `finalMarks: false` (a server without the classic hub): journal sync's finals.read gets nothing, as configured.
    const finals = caps.includes('finals.read') && cfg.finalMarks;
    if (!caps.includes('roster.read') && !caps.includes('journal.read') && !finals) return;

    const weightsPayload = await get<{ typeId: number; weight: number }[]>('grade/journal/assignments/types/weights');
    // The server's own attendance letters: read for the record (a letter the gateway does not know is
    // quarantined by the mapper with its code, never dropped).
    const reasons = await get('grade/attendance/reasons', { lng: 'ru' });
    const filter = parsePayload(FilterInit, await get('grade/journal/filter/init'), where('grade/journal/filter/init'));
    const source = (id: string) => filter.filterSources.find((f) => f.filterId === id)?.items ?? [];
    const classes = source('PCLID_IUP').map((i) => {
      const [id, iup] = i.value.split('_');
      return { id, iup: iup === '1', title: i.title, grade: /^\d+/.exec(i.title)?.[0] };
    });
    // TERMID depends on the class chosen (senior classes grade by half-years): one filter call per class.
    const termCache = new Map<string, Promise<Term>>();
    const termOf = (id: string) => termCache.get(id) ?? termCache.set(id, get('terms/{termId}', undefined, { termId: id }).then((t) => parsePayload(Term, t, where('terms/{termId}')))).get(id)!;
    const ranges = scopeRanges(scope);
    const inWindow = (t: Term) => ranges.some((r) => t.startDate.slice(0, 10) <= r.to && t.endDate.slice(0, 10) >= r.from);
    const termIdsCache = new Map<string, Promise<string[]>>();
    const termIdsOf = (classId: string) => termIdsCache.get(classId) ?? termIdsCache.set(classId, get('grade/journal/filter/init', { classId })
      .then((f) => parsePayload(FilterInit, f, where('grade/journal/filter/init')).filterSources.find((x) => x.filterId === 'TERMID')?.items.map((i) => i.value) ?? [])).get(classId)!;
    const allTermsOf = async (classId: string): Promise<Term[]> => Promise.all((await termIdsOf(classId)).map(termOf));
    const termsOfClass = async (classId: string): Promise<Term[]> => (await allTermsOf(classId)).filter(inWindow);
    // A subject group's pupils: the roster yields every list; final marks need those of subjects split into groups.
    const sgPupilsCache = new Map<number, Promise<unknown>>();
    const sgPupils = (sgId: number) => sgPupilsCache.get(sgId) ?? sgPupilsCache.set(sgId, get('grade/studentList', { sgId })).get(sgId)!;
    // The school year's number (its end year, as 2025/26 → 2026) and first day, for the roster records.
    const yearIds: Record<string, string> = ctx.schoolyear ? { schoolYear: ctx.schoolyear.endDate.slice(0, 4), yearStart: ctx.schoolyear.startDate.slice(0, 10) } : {};
    if (caps.includes('roster.read')) {
      yield batch('context', ctxPayload, { schoolId });
      yield batch('grade/journal/filter/init', filter, { schoolId, yearId });
      // Every term any class grades by (TERMID depends on the class): the academic sessions of the year.
      const termIds = new Set<string>();
      for (const c of classes) for (const id of await termIdsOf(c.id)) termIds.add(id);
      for (const id of termIds) yield batch('terms/{termId}', await termOf(id), { termId: id, schoolId, ...yearIds });
      yield batch('grade/attendance/reasons', reasons, { schoolId });
      yield batch('grade/assignment/types', types.payload, { schoolId, weights: JSON.stringify(Object.fromEntries(weightsPayload.map((w) => [String(w.typeId), w.weight]))) });
    }
    // Per class: its subject groups (sections, teachers) and pupils; then the journal pages.
    const perClass = ordered(classes.map((c) => async () => {
      const q: Record<string, string> = c.iup ? { grade: c.id } : { classId: c.id };
      const groups = await get('subjectgroups', q);
      // Individual-plan entries (`_1`) are left to the pupil's own class: which PCLID their report wants is unknown.
      const classTerms = finals && !c.iup ? await allTermsOf(c.id) : [];
      const due = classTerms.length > 0 && finalsDue([...classTerms.map((t) => t.endDate), ctx.schoolyear?.endDate ?? ''], scope.finalsWindow ?? ranges);
      const pupils = caps.includes('roster.read') || due ? await get('grade/studentList', q) : undefined;
      const terms = caps.includes('journal.read') ? await termsOfClass(c.id) : [];
      const list = z.array(SubjectGroup).safeParse(groups);
      const fin = due && list.success
        ? await finalsOfClass({ classId: c.id, groups: list.data, pupils: parsePayload(z.array(StudentListItem), pupils, where('grade/studentList')), terms: classTerms, sgPupils })
        : undefined;
      return { c, groups, pupils, terms, list, fin };
    }), lookahead);
    const pages: { classId: string; iup: boolean; sg: z.infer<typeof SubjectGroup>; terms: Term[] }[] = [];
    const classFinals: ClassFinals[] = [];
    for await (const { c, groups, pupils, terms, list, fin } of perClass) {
      if (fin) classFinals.push(fin);
      if (caps.includes('roster.read')) {
        yield batch('subjectgroups', groups, { yearId, classId: c.id, schoolId, ...yearIds });
        yield batch('grade/studentList', pupils, { classId: c.id, schoolId, ...yearIds, ...(c.grade ? { grade: c.grade } : {}) });
        // Who is in each subject group's journal (a subgroup holds part of the class): one list per group.
        if (list.success) {
          yield* ordered(list.data.map((sg) => async () => batch('grade/studentList', await sgPupils(sg.id), {
            sgId: String(sg.id), schoolId, ...yearIds, ...(c.grade ? { grade: c.grade } : {}),
          })), lookahead);
        }
      }
      if (list.success) for (const sg of list.data) pages.push({ classId: c.id, iup: c.iup, sg, terms });
    }
    if (caps.includes('journal.read')) yield* readJournalPages(scope, pages, yearId, types.ref);
    if (finals && ctx.schoolyear) yield* readFinals(classFinals, { yearId, yearStart: dayOf(ctx.schoolyear.startDate), yearEnd: dayOf(ctx.schoolyear.endDate), schoolName: ctx.organization?.name ?? '' });
    else if (finals) throw new Error('asurso: context has no schoolyear: the final-marks report needs the year\'s dates');
  }

  /** One `grade/journal` page per subject group × term of the window. */
  async function* readJournalPages(scope: ReadScope, pages: { classId: string; iup: boolean; sg: z.infer<typeof SubjectGroup>; terms: Term[] }[], yearId: string, ref: string): AsyncGenerator<PlatformBatch> {
    const thunks = function* () {
      for (const p of pages) {
        for (const t of p.terms) {
          // A page is the whole term whatever the window: clipped to the read's outer bounds (days between two
          // ranges come with the page anyway, and an unchanged record is no write).
          const from = scope.from > t.startDate.slice(0, 10) ? scope.from : t.startDate.slice(0, 10);
          const to = scope.to < t.endDate.slice(0, 10) ? scope.to : t.endDate.slice(0, 10);
          const ids = { sgId: String(p.sg.id), termId: String(t.id), from, to, ref, ...(p.sg.subgroupName ? { subgroup: p.sg.subgroupName } : {}) };
          yield async () => batch('grade/journal', await get('grade/journal', { yearId, ...(p.iup ? { grade: p.classId } : { classId: p.classId }), sgId: p.sg.id, termId: t.id }), ids);
        }
      }
    };
    yield* ordered(thunks(), lookahead);
  }

  /**
   * Final marks: one `reports/studenttotal` report per pupil over the whole year (the report queue is the web
   * API's only source of them, §1.5); a pupil's report shows every subject with its «Итог» columns.
   */
  async function* readFinals(classes: ClassFinals[], year: { yearId: string; yearStart: string; yearEnd: string; schoolName: string }): AsyncGenerator<PlatformBatch> {
    const queue = new ReportQueue(http, async () => chooseReportHub(http, cfg.reportHub, cfg.reportHub === 'classic' ? undefined : await auth!.serverVersion()));
    try {
      const thunks = function* () {
        for (const c of classes) {
          const periods = JSON.stringify([...c.periods, [REPORT_TABLE.yearName, year.yearId, 'year', year.yearEnd]]);
          for (const p of c.pupils) {
            yield async () => batch(FINALS_FILE, await queue.report(FINALS_QUEUE, finalsTaskBody({ ...year, studentId: p.studentId, classId: c.classId })), {
              studentId: p.studentId, sg: p.sg, teachers: c.teachers, periods,
            });
          }
        }
      };
      yield* ordered(thunks(), lookahead);
    } finally {
      await queue.close();
    }
  }

  /** One child's diary (parent or pupil account), week by week; `ids.sg` places lessons in subject groups. */
  async function* readDiary(scope: ReadScope, yearId: string, ref: string): AsyncGenerator<PlatformBatch> {
    const init = parsePayload(DiaryInit, await get('student/diary/init'), where('student/diary/init'));
    const { students, current } = diaryStudents(init);
    // The child is the configured one, else the one the server names current — never picked by another id's value.
    const child = cfg.diaryStudentId ? students.find((s) => String(s.studentId) === cfg.diaryStudentId) : current;
    if (cfg.diaryStudentId && !child) throw new Error(`asurso: options.diaryStudentId ${cfg.diaryStudentId} is not among the account's ${students.length} pupil(s) (student/diary/init)`);
    if (!child) throw new Error('asurso: student/diary/init lists no pupil for this account');
    const studentId = String(child.studentId);
    let sg: Record<string, string> = {};
    let className: string | undefined;
    for (const [a, b] of scopeRanges(scope).flatMap((r) => weeks(r.from, r.to))) {
      const payload = await get('student/diary', { studentId, yearId, weekStart: a, weekEnd: b });
      const d = Diary.safeParse(payload);
      // A pupil who moved to another class has the same subjects in other subject groups: learnt again from this week.
      const weekClass = d.success ? (d.data as { className?: string | null }).className ?? undefined : undefined;
      if (weekClass !== undefined && className !== undefined && weekClass !== className) sg = {};
      if (weekClass !== undefined) className = weekClass;
      for (const day of d.success ? d.data.weekDays ?? [] : []) {
        for (const l of day.lessons as { subjectName?: string; assignments?: { id?: number }[] }[]) {
          const first = l.assignments?.[0]?.id;
          if (!l.subjectName || sg[l.subjectName] || first === undefined) continue;
          const info = parsePayload(AssignInfo, await get('student/diary/assigns/{id}', { studentId }, { id: first }), where('student/diary/assigns/{id}'));
          sg[l.subjectName] = String(info.subjectGroup.id);
        }
      }
      yield batch('student/diary', payload, { studentId, yearId, weekStart: a, weekEnd: b, sg: JSON.stringify(sg), ref });
    }
  }


  const { writeMarks, writeAttendance } = journalWriter({ http, get, assignTypes: async () => (await typesRef()).byCode });

  return {
    declaration: asursoDeclaration,
    open: () => http.open(() => auth!.login()),
    close: () => http.logout(),
    readSchool,
    writeMarks,
    writeAttendance,
    http,
    auth,
  };
}
