// The ЭПОС.Школа connector (PLATFORM-SLICE.md §2): reads a whole school with the class-level МЭШ routes —
// roster (control forms, groups, teachers, paged pupils with parents and final marks), then per chunk of
// groups and date window the schedule before its marks and absences (they find their lesson through the
// crosswalk) — with a bounded look-ahead so the rate budget is used while memory stays flat. A pupil's or
// parent's profile reads the pupil's own diary (`diary.read`) through the same routes.
import { workTypeByName } from '../../model/work-types.js';
import * as z from 'zod';
import { createHttpClient, joinReceivedPages, type HttpClient } from '../http/index.js';
import { parsePayload } from '../mapping.js';
import * as S from './schemas.js';
import { yearOfScope } from './school-year.js';
import { requireCapability, type Capability, type Connector, type ConnectorDeps, type PlatformBatch, type ReadScope } from '../contract.js';
import { oncePerKey } from '../once-per-key.js';
import { ordered, packedScopeWindows, scopeRanges, scopeWindowDays } from '../paging.js';
import { readPagedList, type PagedList } from '../paged-list.js';
import { ruFromIso } from '../../mappers/epos/dates.js';
import { addDays } from '../../model/dates.js';
import { coverPupils, homeworkBlocks, lessonHomework, placeable, type PlacedHomework } from './homework.js';
import { EposAuth } from './auth.js';
import { eposClassify } from './classify.js';
import { eposDeclaration, type EposConfig } from './declaration.js';
import { createEposWriter } from './writes.js';

const READS: Capability[] = ['roster.read', 'journal.read', 'finals.read'];
type Query = Record<string, string | number | boolean>;
/**
 * A read window's homework: called when the window's read starts (the block's answers are asked for then, in window
 * order); its result, given the window's schedule pages, is the answers still to be mapped and their `ids.homework`.
 */
type WindowHomework = (a: string, b: string) => (schedulePages: readonly unknown[]) => Promise<{ answers: PlatformBatch[]; lessons: string }>;
/** A schedule item homework can be placed on; anything else is quarantined when its page is mapped. */
const isPlaceableItem = (x: unknown): x is { id: number; date: string; group_id: number; study_ordinal: number } => {
  const i = x as Record<string, unknown> | null;
  return !!i && typeof i.id === 'number' && typeof i.date === 'string' && typeof i.group_id === 'number' && typeof i.study_ordinal === 'number';
};

export function createEposConnector(cfg: EposConfig, deps: ConnectorDeps): Connector & { http: HttpClient; auth: EposAuth } {
  const http = createHttpClient({
    platform: 'epos', instance: deps.instance, baseURL: cfg.baseUrl.replace(/\/$/, ''),
    rateLimit: { ...cfg.rateLimit, ...deps.rateLimit }, retry: deps.retry, timeoutMs: deps.timeoutMs, classify: eposClassify, logger: deps.logger, limiter: deps.limiter,
  });
  const auth = new EposAuth(http, cfg);
  http.setAuth(auth);
  const now = deps.now ?? (() => new Date());
  const concurrency = Math.max(1, deps.rateLimit?.concurrency ?? cfg.rateLimit.concurrency);
  const get = async <T = unknown>(route: string, query: Query = {}) => (await http.get<T>(`/${route}`, { query })).data;
  const batch = (route: string, payload: unknown, ids: Record<string, string>, partial?: string): PlatformBatch =>
    ({ route, payload, context: { timeZone: cfg.timeZone, ids, fetchedAt: now().toISOString(), ...(partial ? { partial } : {}) } });

  /**
   * The items of a list the read itself depends on (years, control forms, groups, periods): the envelope must
   * be a list (else a PayloadSchemaError naming the route); an item that does not match is left out of the
   * context here and quarantined by the mapper when the page is mapped.
   */
  async function contextList<T extends z.ZodType>(route: string, item: T, query: Query = {}): Promise<{ raw: unknown; items: z.infer<T>[] }> {
    const raw = await get(route, query);
    const list = parsePayload(z.array(z.unknown()), raw, { platform: 'epos', route });
    return { raw, items: list.flatMap((x) => { const r = item.safeParse(x); return r.success ? [r.data as z.infer<T>] : []; }) };
  }

  /** Every page of a paged route (`page`/`per_page`), stopping at a short page (§2.6). */
  const pages = async (route: string, query: Query): Promise<unknown[]> => (await pagedList(route, query)).pages;
  /**
   * The same, checking each page boundary (paged-list.ts) where a record missed is a record deleted: marks and
   * absences, whose misses are the journal deletes of a system of record's read.
   */
  const pagedList = (route: string, query: Query, checkBoundaries = false): Promise<PagedList> =>
    readPagedList((page, perPage) => get(route, { ...query, page, per_page: perPage }), cfg.perPage, { checkBoundaries });

  async function* readSchool(scope: ReadScope): AsyncGenerator<PlatformBatch> {
    const caps = scope.capabilities ?? READS;
    for (const c of caps) requireCapability(eposDeclaration, c);
    const years = await contextList('core/api/academic_years', S.AcademicYear);
    const year = yearOfScope(years.items, scope);
    // The platform no longer lists the year asked for: nothing of it to read (the caller counts no final marks).
    if (!year && scope.scopeYearOnly) return;
    if (!year) throw new Error('epos: core/api/academic_years lists no year (does the profile see a school?)');
    const academicYear = String(year.id);
    const school = String(scope.schoolSourceId ?? auth.schoolId ?? '');
    const yearIds = { school, academicYear, schoolYear: year.end_date.slice(0, 4) };
    // What roster pages need to place enrollments and roles: the school and the year's first day.
    const rosterIds = { school, academicYear, yearBegin: year.begin_date, schoolYear: year.end_date.slice(0, 4) };
    const forms = await contextList('core/api/control_forms', S.ControlForm, { academic_year_id: year.id });
    const groups = await contextList('jersey/api/groups', S.Group, { academic_year_id: year.id });
    const byId = new Map(groups.items.map((g) => [g.id, g]));
    const subgroups: Record<string, string> = {};
    for (const g of groups.items) for (const s of g.subgroup_ids) if (byId.has(s)) subgroups[s] = byId.get(s)!.name;
    const groupClass = Object.fromEntries(groups.items.filter((g) => g.class_unit_ids[0]).map((g) => [g.id, g.class_unit_ids[0]]));
    const schedules = await contextList('core/api/attestation_periods_schedules', S.AttestationSchedule, { academic_year_id: year.id });
    const periods: Record<string, [number, string, string][]> = {};
    for (const s of schedules.items) for (const c of s.class_unit_ids) periods[c] = s.periods.map((p) => [p.id, p.starts_at, p.ends_at]);
    const ref = JSON.stringify({ controlForms: Object.fromEntries(forms.items.map((f) => [f.id, f.name])), subgroups, groupClass, periods });

    if (caps.includes('roster.read')) {
      if (school) yield batch('core/api/schools/{id}', (await http.get('/core/api/schools/{id}', { pathParams: { id: school } })).data, { school });
      yield batch('core/api/academic_years', years.raw, yearIds);
      yield batch('core/api/attestation_periods_schedules', schedules.raw, yearIds);
      yield batch('core/api/control_forms', forms.raw, { academicYear, school });
      yield batch('jersey/api/groups', groups.raw, rosterIds);
      yield batch('core/api/teacher_profiles', await get('core/api/teacher_profiles', { academic_year_id: year.id, with_assigned_groups: true }), rosterIds);
    }
    if (caps.includes('roster.read') || caps.includes('finals.read')) {
      const query = { academic_year_id: year.id, with_groups: true, with_parents: true, with_final_marks: caps.includes('finals.read'), per_page: cfg.perPage };
      for (let page = 1; ; page++) {
        const data = await get('core/api/student_profiles', { ...query, page });
        // `roster: '0'`: a finals-only read (journal sync) maps the final marks, not the persons again.
        yield batch('core/api/student_profiles', data, { ...rosterIds, page: String(page), roster: caps.includes('roster.read') ? '1' : '0' });
        if (!Array.isArray(data) || data.length < cfg.perPage) break;
      }
    }
    /**
     * One date window of one scope (a chunk of groups, or one pupil): the schedule first (YYYY-MM-DD), then
     * marks and absences (dd.mm.yyyy, §2.6). All pages of marks go in one batch: a pupil's two marks in one
     * lesson must be seen together to tell slot 1 from slot 2 (ЭПОС has no slot field); bounded by the window.
     */
    const windowReads = (schedule: Query, others: Query, a: string, b: string, ctx: Record<string, string>, homework?: WindowHomework) => [
      async () => {
        const placeHomework = homework?.(a, b);
        const list = await pages('jersey/api/schedule_items', { ...schedule, from: a, to: b });
        const hw = placeHomework && await placeHomework(list);
        return [...(hw?.answers ?? []), ...list.map((p, i) => batch('jersey/api/schedule_items', p, { ...ctx, page: String(i + 1), ...(hw ? { homework: hw.lessons } : {}) }))];
      },
      async () => {
        const { pages: all, shifted } = await pagedList('core/api/marks', { ...others, created_at_from: ruFromIso(a), created_at_to: ruFromIso(b) }, true);
        return [batch('core/api/marks', all.every(Array.isArray) ? joinReceivedPages(all as unknown[][]) : all.find((p) => !Array.isArray(p)), ctx, shifted)];
      },
      async () => {
        const { pages: all, shifted } = await pagedList('core/api/attendances', { ...others, begin_date: ruFromIso(a), end_date: ruFromIso(b) }, true);
        return all.map((p, i) => batch('core/api/attendances', p, { ...ctx, page: String(i + 1) }, shifted));
      },
    ];
    // Every scope of the read (a group batch, a pupil's diary) reads the same ranges: packed once, touching ranges
    // (a sweep slice ending where the recent window starts) are one request per route and scope.
    const wins = packedScopeWindows(scopeRanges(scope).map((r) => ({ scope: 'read', ...r })), scopeWindowDays(scope, cfg.windowDays))
      .map(({ from, to }): [string, string] => [from, to]);
    /**
     * The homework of a scope's groups for one read window, asked of `pupils` once per block of windows: the
     * block's answers (to be mapped once, by whichever window asks first) and each lesson's homework as JSON. A
     * block is asked for when the first of its windows starts; windows start in order, so once a later block is
     * asked for no window of an earlier one still needs it.
     */
    const homeworkOf = (pupils: readonly number[], inChunk: (chunk: Query) => (group: number) => boolean): ((chunk: Query) => WindowHomework) | undefined => {
      if (!cfg.readHomework || !pupils.length) return undefined;
      const blocks = homeworkBlocks(wins);
      const reads = new Map<number, Promise<{ answers: PlatformBatch[]; entries: PlacedHomework[] }>>();
      const claimed = new Set<number>();
      const read = (k: number) => {
        let r = reads.get(k);
        if (!r) {
          const { from, to } = blocks[k];
          const q = { begin_prepared_date: ruFromIso(from), end_prepared_date: ruFromIso(addDays(to, cfg.homeworkDueWithinDays)) };
          r = Promise.all(pupils.map((p) => get('core/api/student_homeworks', { ...q, student_profile_id: p })))
            .then((answers) => ({
              answers: answers.map((x, i) => batch('core/api/student_homeworks', x, { academicYear, student: String(pupils[i]), from, to })),
              entries: placeable(answers).filter((e) => e.assigned >= from && e.assigned <= to),
            }));
          reads.set(k, r);
          // Blocks before this one are done with (every window of theirs has started and holds its own promise).
          for (const old of reads.keys()) if (old < k) reads.delete(old);
        }
        return r;
      };
      return (chunk) => (a, b) => {
        const k = blocks.findIndex((x) => a >= x.from && a <= x.to);
        const block = read(k);
        block.catch(() => undefined); // surfaced when the window's pages are placed
        return async (pagesOfItems) => {
          const { answers, entries } = await block;
          const here = inChunk(chunk);
          const items = pagesOfItems.flatMap((p) => (Array.isArray(p) ? p : [])).filter(isPlaceableItem);
          const lessons = lessonHomework(items, entries.filter((e) => here(e.group) && e.assigned >= a && e.assigned <= b));
          const first = !claimed.has(k);
          claimed.add(k);
          return { answers: first ? answers : [], lessons: JSON.stringify(lessons) };
        };
      };
    };
    if (caps.includes('diary.read')) {
      if (!auth.pupils.length) throw new Error('epos: diary.read needs a pupil profile, or a parent profile with children (the session lists none)');
      const thunks = function* () {
        for (const pupil of auth.pupils) {
          // A pupil sees the homework of all their groups.
          const homework = homeworkOf([pupil], () => () => true)?.({});
          for (const [a, b] of wins) {
            const q = { student_profile_id: pupil };
            yield* windowReads(q, q, a, b, { academicYear, ref, student: String(pupil), from: a, to: b }, homework);
          }
        }
      };
      for await (const list of ordered(thunks(), concurrency)) yield* list;
    }
    if (caps.includes('journal.read')) {
      const ids = groups.items.map((g) => g.id);
      const chunks: string[] = [];
      for (let i = 0; i < ids.length; i += cfg.groupsPerRequest) chunks.push(ids.slice(i, i + cfg.groupsPerRequest).join(','));
      const homework = homeworkOf(coverPupils(groups.items), (chunk) => {
        const ids = new Set(String(chunk.group_ids).split(',').map(Number));
        return (group) => ids.has(group);
      });
      const thunks = function* () {
        for (const [a, b] of wins) {
          for (const g of chunks) {
            yield* windowReads({ group_id: g, with_group_class_subject_info: true, with_lesson_info: true }, { group_ids: g }, a, b, { academicYear, ref, groups: g, from: a, to: b }, homework?.({ group_ids: g }));
          }
        }
      };
      for await (const list of ordered(thunks(), concurrency)) yield* list;
    }
  }

  // The school's control forms by canonical work-type code, read once for the writes of a run.
  const forms = oncePerKey(async (): Promise<Map<string, number>> => {
    const years = await contextList('core/api/academic_years', S.AcademicYear);
    const year = years.items.find((y) => y.current_year) ?? years.items.at(-1);
    if (!year) throw new Error('epos: core/api/academic_years lists no year (does the profile see a school?)');
    const list = await contextList('core/api/control_forms', S.ControlForm, { academic_year_id: year.id });
    return new Map(list.items.flatMap((f) => { const def = workTypeByName(f.name); return def ? [[def.code, f.id] as const] : []; }));
  });
  const controlForms = () => forms(undefined);
  const writer = createEposWriter(http, controlForms);
  return {
    declaration: eposDeclaration,
    open: () => http.open(() => auth.login()),
    close: () => http.logout(),
    readSchool,
    writeMarks: writer.writeMarks,
    writeAttendance: writer.writeAttendance,
    http,
    auth,
  };
}
