// Platform wall time (a local date-time without offset, in the school's zone) → UTC instant. Every
// platform but ЭПОС sends local times; this is the one converter their mappers share.
import { zonedToInstant } from '../../model/dates.js';

const offsets = new Map<string, number>();
/** zone → local date-time → UTC instant (keyed in two steps: no joined key built per call). */
const instants = new Map<string, Map<string, string>>();
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/;

/**
 * `2025-09-08T09:00:00` in `Europe/Samara` → `2025-09-08T05:00:00.000Z`. zonedToInstant builds an Intl
 * formatter per call (~60 µs), so the offset is looked up once per zone and day — Russian zones have had
 * no DST since 2014, so a day's noon offset holds all day — and recent conversions are remembered (the
 * marks of one page share a handful of lesson times).
 */
export function instantOf(local: string, tz: string): string {
  let zone = instants.get(tz);
  if (zone === undefined) instants.set(tz, (zone = new Map()));
  const hit = zone.get(local);
  if (hit !== undefined) return hit;
  const m = LOCAL.exec(local);
  if (!m) return zonedToInstant(local, tz); // throws with the value's shape
  const dayKey = `${tz}|${m[1]}-${m[2]}-${m[3]}`;
  let off = offsets.get(dayKey);
  if (off === undefined) {
    off = Date.parse(`${m[1]}-${m[2]}-${m[3]}T12:00:00Z`) - Date.parse(zonedToInstant(`${m[1]}-${m[2]}-${m[3]}T12:00`, tz));
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(dayKey, off);
  }
  const out = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) - off).toISOString();
  if (zone.size > 20_000) zone.clear();
  zone.set(local, out);
  return out;
}

/** A calendar date cut from a platform date-time (never through a time-zone conversion). */
export const dayOf = (s: string): string => s.slice(0, 10);

/** Local hour with its offset (`2025-09-01T11+04`) → the UTC hour (`2025-09-01T07`). */
const utcHours = new Map<string, string>();
const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * An instant with its offset (`2025-09-01T11:13:49.000+04:00`, `…Z`) → `2025-09-01T07:13:49.000Z`, as
 * `new Date(s).toISOString()` gives it, without the general date parser (one per mark on ЭПОС). Anything else
 * goes to that parser (which throws on what it cannot read).
 */
export function isoInstant(s: string): string {
  const m = WITH_OFFSET.exec(s);
  if (!m) return new Date(s).toISOString();
  if (m[10] === undefined || m[10] === '00') {
    // A whole-hour offset (every Russian zone): only the date and the hour change, once per local hour.
    const key = s.slice(0, 13) + (m[8] ? m[8] + m[9] : 'Z');
    let utcHour = utcHours.get(key);
    if (utcHour === undefined) {
      if (utcHours.size > 50_000) utcHours.clear();
      utcHour = new Date(`${s.slice(0, 13)}:00:00${m[8] ? `${m[8]}${m[9]}:00` : 'Z'}`).toISOString().slice(0, 13);
      utcHours.set(key, utcHour);
    }
    return `${utcHour}:${m[5]}:${m[6]}.${m[7] === undefined ? '000' : m[7].padEnd(3, '0')}Z`;
  }
  const offsetMin = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) : 0;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? Number(m[7].padEnd(3, '0')) : 0) - offsetMin * 60_000;
  return new Date(ms).toISOString();
}
