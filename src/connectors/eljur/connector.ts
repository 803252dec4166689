// The ЭлЖур connector (PLATFORM-SLICE.md §2). API v1.4 is pupil-centred (platforms.md §4.3): the roster
// comes from `getrules` (classes and pupils of the account), the journal from `getdiary` (lessons) and
// `getmarks` (marks and absences), final marks from `getfinalassessments` — each asked for a whole class
// at once with a `student=` comma list [S], over `days=` windows, in order: a class's diary before its
// marks (marks find their lesson through the crosswalk). Memory stays flat: one page per step.
import { createHttpClient, type HttpClient } from '../http/index.js';
import { requireCapability, type Capability, type Connector, type ConnectorDeps, type PlatformBatch, type ReadScope } from '../contract.js';
import { parsePayload, PayloadSchemaError } from '../mapping.js';
import { ordered, packedScopeWindows, scopeRanges, scopeWindowDays, scopeWindows, windows } from '../paging.js';
import { compactDate, isoDate, periodKey, periodKindOf, yearKeyOf } from '../../mappers/eljur/codes.js';
import { decode, type PeriodRow, type SubgroupMap } from '../../mappers/eljur/context.js';
import { EljurXmlError, parseEljurXmlAndHandOver } from '../../mappers/eljur/xml.js';
import { periodRowsByKey } from '../../mappers/eljur/periods.js';
import { EljurAuth } from './auth.js';
import { eljurClassify } from './classify.js';
import { eljurDeclaration, type EljurConfig } from './declaration.js';
import * as S from './schemas.js';
import * as z from 'zod';

const READS: Capability[] = ['roster.read', 'journal.read', 'finals.read'];

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
/**
 * Pupil → subject → subgroup from a diary page. A hint only (the mapper validates the page itself), so
 * it walks the page without a schema: anything unexpected is skipped, and a pupil whose subgroup stays
 * unknown maps to the class section (docs/platforms/eljur.md). A page that cannot be decoded at all (XML
 * that is not well-formed) teaches nothing here; the mapper quarantines it with the reason.
 */
function learnSubgroups(into: SubgroupMap, body: unknown, format: EljurConfig['format']): void {
  let page: unknown;
  try {
    // XML: parsed once; the mapper takes this result when it maps the same page (src/mappers/eljur/xml.ts).
    page = format === 'xml' && typeof body === 'string' ? parseEljurXmlAndHandOver(body) : decode('getdiary', body, format);
  } catch (e) {
    if (e instanceof PayloadSchemaError || e instanceof EljurXmlError) return;
    throw e;
  }
  const students = obj(obj(obj(obj(page).response).result).students);
  for (const [pupil, s] of Object.entries(students)) {
    for (const d of Object.values(obj(obj(s).days))) {
      for (const it of Object.values(obj(obj(d).items))) {
        const { name, grp } = obj(it);
        if (typeof name === 'string' && typeof grp === 'string' && grp) (into[pupil] ??= {})[name] = grp;
      }
    }
  }
}

export function createEljurConnector(cfg: EljurConfig, deps: ConnectorDeps): Connector & { http: HttpClient } {
  const http = createHttpClient({
    platform: 'eljur', instance: deps.instance, baseURL: cfg.baseUrl.replace(/\/$/, ''),
    rateLimit: { ...cfg.rateLimit, ...deps.rateLimit }, retry: deps.retry, timeoutMs: deps.timeoutMs, classify: eljurClassify, logger: deps.logger, limiter: deps.limiter,
    sensitive: [cfg.devkey],
  });
  const auth = new EljurAuth(http, cfg);
  http.setAuth(auth);
  const now = deps.now ?? (() => new Date());
  const lookahead = Math.max(1, deps.rateLimit?.concurrency ?? cfg.rateLimit.concurrency);
  const format = cfg.format;

  /** One method call; the body as received (a JSON value, or XML text). */
  const call = async (method: string, query: Record<string, string> = {}) =>
    (await http.get<unknown>(`/api/${method}`, { query, responseType: format === 'xml' ? 'text' : 'json' })).data;
  const batch = (route: string, payload: unknown, ids: Record<string, string>): PlatformBatch =>
    ({ route, payload, context: { timeZone: cfg.timeZone, ids, fetchedAt: now().toISOString(), format } });
  /** The `result` of an answer, for what the connector itself needs (classes, pupils, periods). */
  const resultOf = <S extends z.ZodType>(route: string, payload: unknown, schema: S): z.infer<S> => {
    const env = parsePayload(S.Envelope, decode(route, payload, format), { platform: 'eljur', route });
    return parsePayload(schema, env.response.result, { platform: 'eljur', route: `${route} result` });
  };

  async function* readSchool(scope: ReadScope): AsyncGenerator<PlatformBatch> {
    const caps = scope.capabilities ?? READS;
    for (const c of caps) requireCapability(eljurDeclaration, c);
    const rulesPayload = await call('getrules');
    const rules = resultOf('getrules', rulesPayload, S.Rules);
    const pupilsOf = new Map<string, string[]>();
    for (const [id, raw] of Object.entries(rules.relations.students)) {
      const cls = (raw as { class?: unknown })?.class;
      if (typeof cls === 'string' && cls) (pupilsOf.get(cls) ?? pupilsOf.set(cls, []).get(cls)!).push(id);
    }
    const classes = [...new Set([...Object.keys(rules.relations.groups), ...pupilsOf.keys()])].filter((c) => pupilsOf.has(c)).sort();
    // `getperiods` lists each pupil's periods: asked for one pupil of every class, it tells which classes are graded
    // by half-years (the senior ones, commonly) and which by quarters. A work's period is the shortest of its class's
    // periods that holds its day; from the school's merged list every work of a half-year class went to a quarter.
    // A server that answers with the account's own entry only ([S]) leaves every class on the merged list.
    const periodsPayload = await call('getperiods', { student: classes.map((c) => pupilsOf.get(c)![0]).join(',') });
    const periodEntries = resultOf('getperiods', periodsPayload, S.Periods).students;
    const rowsOf = (list: z.infer<typeof S.Period>[]): PeriodRow[] => [...new Map(list.map((p) => [p.name, [periodKey(p.start, p.end), periodKindOf(p.name) ?? '', p.start, p.end, p.name] as PeriodRow])).values()];
    const periods = rowsOf(periodEntries.flatMap((s) => s.periods));
    // The year as the mapper judges it from the same answer (periods by their dates, not by name).
    const year = yearKeyOf(periodRowsByKey(periodEntries.flatMap((s) => s.periods)));
    const classOfPupil = new Map(classes.map((c) => [pupilsOf.get(c)![0], c]));
    const periodsOfClass = new Map<string, string>();
    for (const e of periodEntries) {
      const cls = e.name !== undefined ? classOfPupil.get(e.name) : undefined;
      if (cls !== undefined && e.periods.length) periodsOfClass.set(cls, JSON.stringify(rowsOf(e.periods)));
    }
    const merged = JSON.stringify(periods);
    const periodsId = (cls: string) => periodsOfClass.get(cls) ?? merged;
    const chunks = classes.flatMap((cls) => {
      const all = pupilsOf.get(cls)!;
      const out: { cls: string; pupils: string[] }[] = [];
      for (let i = 0; i < all.length; i += cfg.studentsPerRequest) out.push({ cls, pupils: all.slice(i, i + cfg.studentsPerRequest) });
      return out;
    });
    // A roster read of no window (the package stage's list of an ЭлЖур school's pupils) reads no diary.
    const wins = scope.from && scope.to ? scopeWindows(scope, cfg.windowDays) : [];
    if (caps.includes('roster.read')) {
      // The school (the vendor: `schoolSourceId` names it for the crosswalk) and its year, for classes and sessions.
      const school = { school: scope.schoolSourceId ?? cfg.vendor, year, yearStart: year.slice(0, 8) };
      yield batch('getrules', rulesPayload, school);
      yield batch('getperiods', periodsPayload, school);
      // Subjects, sections (subgroups included), teachers and who sits in each exist only as what the diaries show
      // (`ids.part = roster`: the mapper emits the structure, not the lessons). Read only when the scope asks for the
      // school's structure (ЭлЖур is the system of record or a migration's source): as a target beside another
      // system of record its roster read is its pupils, classes and terms, as before, with no diary request and no
      // teacher proposed for review. Read from the school year's first day to the scope's end, not over the scope
      // alone: a roster read is a snapshot, and one of a week without some subject's lesson (a fortnightly subject,
      // the holidays) would delete that section, its enrolments and teacher by absence on a system of record. Costs
      // a diary request per class and week of the year so far.
      if (scope.schoolStructure) {
        const yearStart = isoDate(year.slice(0, 8));
        const yearEnd = isoDate(year.slice(9));
        const rosterWins = wins.length && /^\d{8}-\d{8}$/.test(year) && scope.to >= yearStart ? windows(yearStart, scope.to < yearEnd ? scope.to : yearEnd, cfg.windowDays) : wins;
        yield* ordered(chunks.flatMap(({ cls, pupils }) => rosterWins.map(([a, b]) => async () =>
          batch('getdiary', await call('getdiary', { student: pupils.join(','), days: `${compactDate(a)}-${compactDate(b)}` }), { ...school, class: cls, part: 'roster' }))), lookahead);
      }
    }
    // Pupil → subject → subgroup, learned from the diaries: marks and final marks carry no `grp`.
    const grp: SubgroupMap = {};
    const grpOf = (pupils: string[]) => JSON.stringify(Object.fromEntries(pupils.filter((p) => grp[p]).map((p) => [p, grp[p]])));
    if (caps.includes('journal.read')) {
      // A class's ranges that touch (a sweep slice ending where the recent window starts) are one `days=` request.
      const ranges = scope.from && scope.to ? scopeRanges(scope) : [];
      const reads = packedScopeWindows(chunks.flatMap((chunk) => ranges.map((r) => ({ scope: chunk, ...r }))), scopeWindowDays(scope, cfg.windowDays));
      const thunks = function* () {
        for (const { scope: { cls, pupils }, from: a, to: b } of reads) {
          const days = `${compactDate(a)}-${compactDate(b)}`;
          yield async () => {
            const diary = await call('getdiary', { student: pupils.join(','), days, rings: 'true' });
            learnSubgroups(grp, diary, format);
            const marks = await call('getmarks', { student: pupils.join(','), days });
            return [
              batch('getdiary', diary, { class: cls, year, days }),
              batch('getmarks', marks, { class: cls, periods: periodsId(cls), grp: grpOf(pupils), days }),
            ];
          };
        }
      };
      for await (const pair of ordered(thunks(), lookahead)) yield* pair;
    }
    if (caps.includes('finals.read')) {
      yield* ordered(chunks.map(({ cls, pupils }) => async () => batch('getfinalassessments', await call('getfinalassessments', { student: pupils.join(',') }), { class: cls, periods: periodsId(cls), grp: grpOf(pupils) })), lookahead);
    }
  }

  return {
    declaration: eljurDeclaration,
    open: () => http.open(() => auth.login()),
    close: () => http.logout(),
    readSchool,
    http,
  };
}
