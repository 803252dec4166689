// What every ЭлЖур mapper shares: the envelope of both formats, record construction, and the compact
// context the connector passes in `ids` (what a payload lacks: the class a request was made for, the
// pupils' subgroups, the periods). `map --context` takes the same keys.
import type { EntityName } from '../../model/enums.js';
import { canonicalIdFor, parsePayload, PayloadSchemaError, type MapContext } from '../../connectors/mapping.js';
import { Envelope } from '../../connectors/eljur/schemas.js';
import { EljurXmlError, parseEljurXml } from './xml.js';

/** The decoded body: a JSON value as received, or XML text (`ctx.format === 'xml'`). */
export function decode(route: string, payload: unknown, format: MapContext['format']): unknown {
  if (format !== 'xml' && typeof payload !== 'string') return payload;
  if (typeof payload !== 'string') throw new PayloadSchemaError('eljur', route, '', 'an XML payload must be text');
  try {
    return format === 'xml' || payload.trimStart().startsWith('<') ? parseEljurXml(payload) : JSON.parse(payload);
  } catch (e) {
    if (e instanceof EljurXmlError || e instanceof SyntaxError) throw new PayloadSchemaError('eljur', route, '', e.message);
    throw e;
  }
}

/**
 * The `result` of an enveloped answer (platforms.md §4.2). A failure state inside a 200 is an error here
 * too: a saved failure is not silently mapped as "no data".
 */
export function resultOf(route: string, payload: unknown, format: MapContext['format']): unknown {
  const env = parsePayload(Envelope, decode(route, payload, format), { platform: 'eljur', route });
  const { state, error, result } = env.response;
  if (state !== 200 || error) throw new PayloadSchemaError('eljur', route, 'response.state', `failure answer: state ${state}${error ? ` (${error})` : ''}`);
  return result;
}

export { makeRecord as make } from '../kit/make-record.js';

export const idFor = (ctx: MapContext, entity: EntityName, sourceId: string) => canonicalIdFor(ctx, entity, sourceId);

const cache = new Map<string, unknown>();
/** A JSON value from `ids[key]` (parsed once per distinct text; `map --context` may pass it as an object). */
export function jsonId<T>(ctx: MapContext, key: string, fallback: T): T {
  const v = ctx.ids[key] as unknown;
  if (v === undefined || v === '') return fallback;
  if (typeof v === 'object') return v as T;
  const text = String(v);
  if (!cache.has(text)) {
    if (cache.size > 1000) cache.clear();
    cache.set(text, JSON.parse(text));
  }
  return cache.get(text) as T;
}

/** `ids.periods`: `[key, kind, start YYYYMMDD, end YYYYMMDD, name]` from `getperiods`. */
export type PeriodRow = [key: string, kind: string, start: string, end: string, name: string];
/** `ids.grp`: pupil id → subject name → subgroup (learned from the pupils' diaries). */
export type SubgroupMap = Record<string, Record<string, string>>;
