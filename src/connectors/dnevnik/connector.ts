// The Дневник.ру connector (PLATFORM-SLICE.md §2): reads a whole school with class-level routes over short
// date windows (range routes are unpaged, platforms.md §3.5), in order — roster, then per edu-group
// lessons before marks and log entries (marks find their lesson through the crosswalk) — with a bounded
// look-ahead so the rate budget is used while memory stays flat. Writes: marks and lesson log entries.
import { ordered, windows } from '../read-plan.js';
import { workTypeByName, WORK_TYPES } from '../../model/work-types.js';
import { createHttpClient, GatewayHttpError, type HttpClient } from '../http/index.js';
import {
  requireCapability, type AttendanceWriteOp, type Capability, type Connector, type ConnectorDeps, type MarkWriteOp, type PlatformBatch,
  type ReadScope, type WriteResult,
} from '../contract.js';
import { logEntryBody, markBody, workBody } from '../../mappers/dnevnik/write-bodies.js';
import { ZONE_BY_OFFSET } from '../../mappers/dnevnik/codes.js';
import { localDateTimeOf } from './time.js';
import { DnevnikAuth } from './auth.js';
import { dnevnikClassify } from './classify.js';
import { dnevnikDeclaration, type DnevnikConfig } from './declaration.js';

type Json = Record<string, unknown>;
const READS: Capability[] = ['roster.read', 'journal.read', 'finals.read'];

export function createDnevnikConnector(cfg: DnevnikConfig, deps: ConnectorDeps): Connector {
  const http: HttpClient = createHttpClient({
    platform: 'dnevnik', instance: deps.instance, baseURL: cfg.baseUrl.replace(/\/$/, ''),
    rateLimit: { ...cfg.rateLimit, ...deps.rateLimit }, retry: deps.retry, classify: dnevnikClassify, logger: deps.logger, limiter: deps.limiter,
  });
  const auth = new DnevnikAuth(http, cfg.auth, cfg.scope);
  http.setAuth(auth);
  const now = deps.now ?? (() => new Date());
  const concurrency = Math.max(1, deps.rateLimit?.concurrency ?? cfg.rateLimit.concurrency);
  let tz = cfg.timeZone;

  const get = async <T = unknown>(route: string, pathParams: Record<string, string> = {}, query?: Record<string, string>) =>
    (await http.get<T>(`/v2/${route}`, { pathParams, query })).data;
  const batch = (route: string, payload: unknown, ids: Record<string, string>): PlatformBatch =>
    ({ route, payload, context: { timeZone: tz ?? 'Europe/Moscow', ids, fetchedAt: now().toISOString() } });

  async function* readSchool(scope: ReadScope): AsyncGenerator<PlatformBatch> {
    const caps = scope.capabilities ?? READS;
    for (const c of caps) requireCapability(dnevnikDeclaration, c);
    const ctx = await get<{ schools?: { id_str: string }[] }>('users/me/context');
    const school = scope.schoolSourceId ?? ctx.schools?.[0]?.id_str;
    if (!school) throw new Error('dnevnik: the account sees no school (users/me/context has no schools)');
    const schoolPayload = await get<{ timeZone?: number }>('schools/{id}', { id: school });
    tz ??= ZONE_BY_OFFSET[schoolPayload.timeZone ?? 3] ?? 'Europe/Moscow';
    const workTypes = await get<{ id: number; title: string; abbr?: string; weight: number }[]>('work-types/{school}', { school });
    const wt: Record<string, [string, number]> = {};
    for (const w of workTypes) {
      const def = workTypeByName(w.title) ?? WORK_TYPES.find((d) => d.code === w.abbr);
      if (def) wt[String(w.id)] = [def.code, w.weight];
    }
    const groups = await get<{ id_str: string; type: string; name: string; parallel?: number; parentIds_str?: string[] }[]>('schools/{id}/edu-groups', { id: school });
    const classGroups = groups.filter((g) => g.type !== 'Subgroup');
    const periodsOf = new Map<string, { id_str: string; type: string; number: number }[]>();
    for await (const [g, p] of ordered(classGroups.map((g) => async () => [g.id_str, await get<{ id_str: string; type: string; number: number }[]>('edu-groups/{id}/reporting-periods', { id: g.id_str })] as const), concurrency)) periodsOf.set(g, p);
    const refFor = (g: { id_str: string; parentIds_str?: string[] }) => {
      const periods = periodsOf.get(g.id_str) ?? periodsOf.get(g.parentIds_str?.[0] ?? '') ?? [];
      return { periods, ref: JSON.stringify({ workTypes: wt, periods: Object.fromEntries(periods.map((p) => [p.id_str, [p.type, p.number]])) }) };
    };
    const yearPeriod = [...periodsOf.values()].flat().find((p) => p.type === 'Year')?.id_str ?? '';

    if (caps.includes('roster.read')) {
      yield batch('schools/{id}', schoolPayload, { id: school });
      yield batch('work-types/{school}', workTypes, { school });
      yield batch('schools/{id}/edu-groups', groups, { id: school, yearPeriod });
      yield batch('schools/{id}/teachers', await get('schools/{id}/teachers', { id: school }), { id: school });
      yield batch('schools/{id}/membership', await get('schools/{id}/membership', { id: school }, { schoolMembershipType: 'Admins' }), { id: school });
      const pupils = new Map<string, string>(); // user id → person id
      const persons = ordered(groups.map((g) => async () => {
        const list = await get<{ userId_str?: string; id_str?: string }[]>('edu-groups/{id}/persons', { id: g.id_str });
        return batch('edu-groups/{id}/persons', list, { id: g.id_str, ...(g.parallel ? { parallel: String(g.parallel) } : {}) });
      }), concurrency);
      for await (const b of persons) {
        for (const p of b.payload as { userId_str?: string; id_str?: string }[]) if (p.userId_str && p.id_str) pupils.set(p.userId_str, p.id_str);
        yield b;
      }
      // Parents: the partner API links them per pupil only (users/{id}/relatives).
      yield* ordered([...pupils].map(([u, person]) => async () => batch('users/{id}/relatives', await get('users/{id}/relatives', { id: u }), { id: u, person })), concurrency);
    }
    if (caps.includes('journal.read')) {
      const wins = windows(scope.from, scope.to, cfg.windowDays);
      const thunks = function* () {
        for (const g of groups) {
          const ids = { g: g.id_str, groupType: g.type, groupName: g.name, ref: refFor(g).ref };
          for (const [a, b] of wins) {
            yield async () => batch('edu-groups/{g}/lessons/{from}/{to}', await get('edu-groups/{g}/lessons/{from}/{to}', { g: g.id_str, from: a, to: b }), { ...ids, from: a, to: b });
            yield async () => batch('edu-groups/{g}/marks/{from}/{to}', await get('edu-groups/{g}/marks/{from}/{to}', { g: g.id_str, from: `${a}T00:00:00`, to: `${b}T23:59:59` }), { ...ids, from: a, to: b });
            yield async () => batch('lesson-log-entries/group/{g}', await get('lesson-log-entries/group/{g}', { g: g.id_str }, { from: a, to: b }), { ...ids, from: a, to: b });
          }
        }
      };
      yield* ordered(thunks(), concurrency);
    }
    if (caps.includes('finals.read')) {
      yield* ordered(groups.map((g) => async () => batch('edu-groups/{g}/final-marks', await get('edu-groups/{g}/final-marks', { g: g.id_str }), { g: g.id_str, ref: refFor(g).ref })), concurrency);
    }
  }

  const failure = (operationId: string, e: unknown): WriteResult => {
    if (e instanceof GatewayHttpError) {
      const refused = e.action === 'fail' && e.failureType !== 'transient';
      return { operationId, status: refused ? 'refused' : 'failed', reason: e.message, retryable: !refused };
    }
    return { operationId, status: 'failed', reason: (e as Error).message, retryable: true };
  };

  async function writeMarks(ops: readonly MarkWriteOp[]): Promise<WriteResult[]> {
    const worksOf = new Map<string, { id_str: string; workType: number }[]>();
    const out: WriteResult[] = [];
    for (const op of ops) {
      try {
        const t = op.targetIds;
        if (op.action === 'delete') {
          out.push({ operationId: op.operationId, status: 'refused', reason: 'dnevnik: the partner API documents no mark deletion', retryable: false });
          continue;
        }
        const workType = Number(t.workType);
        let works = worksOf.get(t.lesson);
        if (!works) worksOf.set(t.lesson, (works = await get<{ id_str: string; workType: number }[]>('works', {}, { lesson: t.lesson })));
        let work = works.find((w) => w.workType === workType)?.id_str;
        if (!work) {
          // No retry after a 5xx: a second POST works could create a second column.
          const res = await http.post<{ id_str: string; workType: number }>('/v2/works', {
            json: workBody({ lesson: t.lesson, eduGroup: t.eduGroup, subjectId: t.subject, workType, title: t.workTitle ?? '', periodNumber: t.periodNumber ? Number(t.periodNumber) : undefined, periodType: t.periodType, dueDate: t.dueDate }),
          });
          works.push(res.data);
          work = res.data.id_str;
        }
        const res = await http.post<{ id_str: string }>('/v2/persons/{p}/works/{w}/mark', { pathParams: { p: t.person, w: work }, json: markBody(op.record), retrySafe: true });
        out.push({ operationId: op.operationId, status: 'applied', sourceId: res.data.id_str });
      } catch (e) {
        out.push(failure(op.operationId, e));
      }
    }
    return out;
  }

  /** The school's zone for wall-clock write fields: the config's, else from `School.timeZone`. */
  async function zone(): Promise<string> {
    if (tz) return tz;
    const ctx = await get<{ schools?: { id_str: string }[] }>('users/me/context');
    const id = ctx.schools?.[0]?.id_str;
    const school = id ? await get<{ timeZone?: number }>('schools/{id}', { id }) : {};
    tz = ZONE_BY_OFFSET[school.timeZone ?? 3] ?? 'Europe/Moscow';
    return tz;
  }

  async function writeAttendance(ops: readonly AttendanceWriteOp[]): Promise<WriteResult[]> {
    const out: WriteResult[] = [];
    const zoneOf = ops.length ? await zone() : 'Europe/Moscow';
    for (const op of ops) {
      const { person, lesson } = op.targetIds;
      try {
        if (op.action === 'delete') await http.delete('/v2/lessons/{lesson}/log-entries', { pathParams: { lesson }, query: { person } });
        else {
          await http.put('/v2/lessons/{lesson}/log-entries', {
            pathParams: { lesson }, query: { person }, json: logEntryBody(op.record, { person, lesson }, localDateTimeOf(op.record.recordedAt, zoneOf)),
          });
        }
        out.push({ operationId: op.operationId, status: 'applied', sourceId: `${lesson}:${person}` });
      } catch (e) {
        out.push(failure(op.operationId, e));
      }
    }
    return out;
  }

  return {
    declaration: dnevnikDeclaration,
    open: () => auth.login(),
    close: () => http.logout(),
    readSchool,
    writeMarks,
    writeAttendance,
    get http() { return http; },
  } as Connector & { http: HttpClient };
}

export type { Json };
export { windows };
