// The mapper contract (PLATFORM-SLICE.md §3; Faros converters, engineering.md §1.2): pure functions
// payload + context → canonical records + quarantine. Never network, clock or store — a saved payload
// and its context are a complete test case.
import * as z from 'zod';
import type { Provenance, SourceRef } from '../model/envelope.js';
import type { EntityName, SourceSystem } from '../model/enums.js';
import { sourceScopedId } from '../model/ids.js';
import { canonicalJson, sha256Hex } from '../model/hash.js';
import type { CanonicalRecord } from '../model/records.js';
import { receivedBodyHash } from './http/received-body.js';
import { fastSchema } from '../model/fast-schema.js';

/** Everything a mapper may know beyond the payload. */
export interface MapContext {
  system: SourceSystem;
  /** Platform instance (region host) — part of every source ref. */
  instance: string;
  /** IANA zone of the school. */
  timeZone: string;
  /** UTC ISO instant the payload was fetched (from the batch, not the mapper's clock). */
  fetchedAt: string;
  runId: string;
  mapperVersion: string;
  /** Ids from the URL the payload came from (`g`, `studentId`, `schoolId`…). */
  ids: Readonly<Record<string, string>>;
  format?: 'json' | 'xml' | 'html';
  /** The batch's `partial` (contract.ts BatchContext): the read it belongs to deletes nothing. */
  partial?: string;
  /** Hash of the payload, computed once by {@link mapBatch}; pass it to {@link provenanceFor}. */
  payloadHash?: string;
  /**
   * The crosswalk as a pure lookup (platform id → canonical id), preloaded by the caller. Mappers never
   * call it directly: use {@link canonicalIdFor}, which falls back to a deterministic source-scoped id.
   */
  resolve?: IdResolver;
}

/** Looks up the canonical id of a platform record in the crosswalk; undefined when it is not known yet. */
export type IdResolver = (entity: EntityName, sourceId: string) => string | undefined;

/**
 * Canonical id of a long-lived record (person, section, class, subject, period…) known by its platform
 * id: the crosswalk's answer when there is one, else a deterministic UUIDv5 scoped by system and
 * instance (canonical-model.md §A.4 rule 3), which the sync engine records in the crosswalk.
 * Event records (lessons, marks, attendance, final marks) then take UUIDv5 ids from these canonical ids,
 * so the same lesson read from two platforms gets the same id.
 */
export function canonicalIdFor(ctx: Pick<MapContext, 'system' | 'instance' | 'resolve'>, entity: EntityName, sourceId: string | number | bigint): string {
  const sid = String(sourceId);
  return ctx.resolve?.(entity, sid) ?? sourceScopedId(ctx.system, ctx.instance, entity, sid);
}

/** Something a mapper could not place: kept with its reason, never dropped (DECISIONS.md §4). */
export interface QuarantineItem {
  route: string;
  /** Platform id of the offending record, if it has one. */
  sourceId?: string;
  /** Dotted path of the field, e.g. `weekDays.2.lessons.0.assignments.1.mark.mark`. */
  field?: string;
  /** The raw value as received (redact before logging; never a name or SNILS in `reason`). */
  rawValue?: unknown;
  reason: string;
  /** Rule that refused it, e.g. `R-18`. */
  ruleId?: string;
  /**
   * The cell a mark's or absence's line may hide, by canonical ids: the pupil, the lesson, or both (the cell). Journal
   * deletes leave what it names alone and judge the rest of the read; a journal route's line naming nothing makes the
   * whole read partial (sync/partial-read.ts). Name no more than the mapper is sure of: a line whose record's
   * lesson is not known names the pupil only, and holds all of the pupil's marks and absences in the read. Several
   * cells: the record may stand in any of them (a lesson the platform moved, whose stored marks are under its old id).
   * `'none'`: the line hides no mark or absence the deletes judge (a homework entry, a lesson's work column whose marks
   * come on their own route).
   */
  holds?: Hold;
}

/** The pupil, the lesson or both whose marks and absences a quarantine line may hide (canonical ids). */
export interface CellHold { studentId?: string; lessonId?: string }
export type Hold = CellHold | readonly CellHold[] | 'none';

/** The lines, each naming `hold` as the cell it may hide unless it names one of its own. */
export function holding(items: QuarantineItem[], hold: Hold): QuarantineItem[] {
  for (const q of items) q.holds ??= hold;
  return items;
}

export interface MapResult {
  records: CanonicalRecord[];
  quarantine: QuarantineItem[];
  /**
   * What the page lists that the mapper leaves out on purpose (it carries nothing canonical: ЭлЖур's holidays), by
   * reason, counted. Not a quarantine: it does not make a read partial; the run summary shows the counts.
   */
  skipped?: Record<string, number>;
}

/** A platform's mapper: `route` is a declared route name (`student/diary`, `getmarks`). */
export type Mapper = (route: string, payload: unknown, context: MapContext) => MapResult;

/** The empty result (for routes that carry nothing canonical). */
export const emptyMapResult = (): MapResult => ({ records: [], quarantine: [] });

/**
 * Hash of a payload as received: a JSON body the HTTP layer decoded has the hash of its received text
 * (received-body.ts); bytes/text are hashed as they are; a value a connector assembled itself (several
 * answers joined, a filtered list) is hashed as canonical JSON, so its key order does not matter.
 */
export function payloadHash(payload: unknown): string {
  const received = receivedBodyHash(payload);
  if (received !== undefined) return received;
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) return sha256Hex(payload);
  return sha256Hex(canonicalJson(payload));
}

/** Provenance for every record mapped from one payload (canonical-model.md §A.1). */
export function provenanceFor(ctx: MapContext, payloadHashHex: string, sourceModifiedAt?: string | null): Provenance {
  return {
    system: ctx.system, instance: ctx.instance, fetchedAt: ctx.fetchedAt, sourceModifiedAt: sourceModifiedAt ?? null,
    payloadHash: payloadHashHex, runId: ctx.runId, mapperVersion: ctx.mapperVersion,
  };
}

/** A source ref `(system, instance, kind, sourceId)`; numeric ids become strings (Дневник.ру int64: pass `*_str`). */
export function sourceRef(ctx: Pick<MapContext, 'system' | 'instance'>, kind: string, sourceId: string | number | bigint): SourceRef {
  return { system: ctx.system, instance: ctx.instance, kind, sourceId: String(sourceId) };
}

/** A platform payload that does not match its zod schema: names platform, route and field path. */
export class PayloadSchemaError extends Error {
  constructor(readonly platform: string, readonly route: string, readonly path: string, readonly detail: string) {
    super(`${platform} ${route}: payload does not match the schema at ${path || '(root)'}: ${detail}`);
    this.name = 'PayloadSchemaError';
  }
}

function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

/**
 * Validates a whole payload (the envelope). On mismatch throws {@link PayloadSchemaError} with the first
 * issue's path and every issue in `detail` (values are not echoed — they may be personal data).
 */
export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown, where: { platform: string; route: string }): z.infer<S> {
  const r = fastSchema(schema).safeParse(payload);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const detail = r.error.issues.slice(0, 5).map((i) => `${issuePath(i) || '(root)'}: ${i.message}`).join('; ');
  throw new PayloadSchemaError(where.platform, where.route, first ? issuePath(first) : '', detail);
}

/**
 * Validates records one by one: good ones come back parsed, bad ones as quarantine items naming the
 * field — one malformed record never sinks the page (PLATFORM-SLICE.md: never crash, never drop).
 */
export function parseItems<S extends z.ZodType>(
  schema: S,
  items: readonly unknown[],
  where: { route: string; pathPrefix?: string; idOf?: (raw: unknown) => string | undefined; holdsOf?: (raw: unknown, failed: ReadonlySet<string>) => Hold | undefined },
): { ok: z.infer<S>[]; quarantine: QuarantineItem[] } {
  const ok: z.infer<S>[] = [];
  const quarantine: QuarantineItem[] = [];
  const fast = fastSchema(schema);
  items.forEach((raw, i) => {
    const r = fast.safeParse(raw);
    if (r.success) {
      ok.push(r.data);
      return;
    }
    const first = r.error.issues[0];
    const field = [where.pathPrefix, String(i), first ? issuePath(first) : ''].filter(Boolean).join('.');
    // The fields the record failed on: an id among them is not trusted to name its cell.
    const holds = where.holdsOf?.(raw, new Set(r.error.issues.map((x) => String(x.path[0] ?? ''))));
    quarantine.push({
      route: where.route, sourceId: where.idOf?.(raw), field, rawValue: raw,
      reason: `schema mismatch: ${r.error.issues.slice(0, 3).map((x) => `${issuePath(x) || '(root)'}: ${x.message}`).join('; ')}`,
      ...(holds ? { holds } : {}),
    });
  });
  return { ok, quarantine };
}

/** A batch after mapping: what the sync pipeline stores (records) and reports (quarantine). */
export interface MappedBatch extends MapResult {
  route: string;
  context: MapContext;
  payloadHash: string;
}

/**
 * Builds the {@link MapContext} of one connector batch: the batch's own context (zone, URL ids, fetch
 * time) plus what the run knows (system, instance, run id, mapper version).
 */
export function mapContextFor(
  batch: { context: { timeZone: string; ids: Readonly<Record<string, string>>; fetchedAt: string; format?: 'json' | 'xml' | 'html'; partial?: string } },
  run: { system: SourceSystem; instance: string; runId: string; mapperVersion: string; resolve?: IdResolver },
): MapContext {
  const { timeZone, ids, fetchedAt, format, partial } = batch.context;
  return { ...run, timeZone, ids, fetchedAt, ...(format ? { format } : {}), ...(partial ? { partial } : {}) };
}

/** Maps one connector batch with `mapper` (pure), stamping the payload hash. */
export function mapBatch(
  mapper: Mapper,
  batch: { route: string; payload: unknown; context: { timeZone: string; ids: Readonly<Record<string, string>>; fetchedAt: string; format?: 'json' | 'xml' | 'html'; partial?: string } },
  run: { system: SourceSystem; instance: string; runId: string; mapperVersion: string; resolve?: IdResolver },
): MappedBatch {
  const hash = payloadHash(batch.payload);
  const context = { ...mapContextFor(batch, run), payloadHash: hash };
  const result = mapper(batch.route, batch.payload, context);
  return { route: batch.route, context, payloadHash: hash, ...result };
}

/** One route's mapper: a platform payload of that route → canonical records and quarantine. */
export type RouteMapper = (route: string, payload: unknown, ctx: MapContext) => MapResult;

/**
 * A platform's mapper from its routes (PLATFORM-SLICE.md §3): one function per mapped route; routes read only
 * for context map to nothing; any other route — and a page whose envelope does not match its schema — is one
 * quarantine line naming route and field, never a crash. Such a page's line names no cell, so the read is partial for
 * the journal deletes (sync/partial-read.ts), unless its route is one of `holdNothing`: pages that carry no mark or
 * absence (homework), whose lines hold nothing.
 */
export function routeMapper(
  platform: string, routes: Readonly<Record<string, RouteMapper>>, contextOnly: ReadonlySet<string> = new Set(), holdNothing: ReadonlySet<string> = new Set(),
): Mapper {
  return (route, payload, ctx) => {
    const fn = routes[route];
    if (fn) {
      try {
        return fn(route, payload, ctx);
      } catch (e) {
        if (e instanceof PayloadSchemaError) return { records: [], quarantine: [{ route, field: e.path, reason: e.message, ...(holdNothing.has(route) ? { holds: 'none' as const } : {}) }] };
        throw e;
      }
    }
    if (contextOnly.has(route)) return emptyMapResult();
    return { records: [], quarantine: [{ route, reason: `route "${route}" has no mapper (see journal-gateway map ${platform} --list)` }] };
  };
}
