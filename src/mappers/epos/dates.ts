// ЭПОС sends two date formats side by side (platforms.md §2.6): `dd.mm.yyyy` in mark and homework
// filters and mark dates, `YYYY-MM-DD` in schedules; `iso_date_time` comes without an offset (МЭШ 2020,
// school wall time) or in UTC with `Z` (МЭШ 2026). The school zone (Perm = Asia/Yekaterinburg) decides.
import { instantOf } from '../kit/wall-time.js';

const RU = /^(\d{2})\.(\d{2})\.(\d{4})$/;

/** `dd.mm.yyyy` → `YYYY-MM-DD`; undefined when the value has another shape. */
export function isoFromRu(s: string): string | undefined {
  const m = RU.exec(s);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : undefined;
}

/** `YYYY-MM-DD` → `dd.mm.yyyy`. */
export function ruFromIso(s: string): string {
  return `${s.slice(8, 10)}.${s.slice(5, 7)}.${s.slice(0, 4)}`;
}

const fmt = new Map<string, Intl.DateTimeFormat>();
/** Wall clock (`YYYY-MM-DD`, `HH:MM`) of an instant in a zone. */
export function wallOf(instant: string, timeZone: string): { date: string; time: string } {
  let f = fmt.get(timeZone);
  if (!f) fmt.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })));
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `iso_date_time` → the school's wall clock and the UTC instant, whichever form it came in: with `Z` or an
 * offset it is an instant; without, it is wall time in the school's zone.
 */
export function readIsoDateTime(s: string, timeZone: string): { date: string; time: string; instant: string } {
  if (HAS_OFFSET.test(s)) {
    const ms = Date.parse(s);
    const instant = new Date(ms).toISOString();
    // Russian zones have no DST since 2014: the zone's offset on that UTC day gives the wall clock
    // (instantOf caches it per zone and day; Intl per item would dominate the mapping time).
    const day = instant.slice(0, 10);
    const off = Date.parse(`${day}T12:00:00Z`) - Date.parse(instantOf(`${day}T12:00`, timeZone));
    const wall = new Date(ms + off).toISOString();
    return { date: wall.slice(0, 10), time: wall.slice(11, 16), instant };
  }
  return { date: s.slice(0, 10), time: s.slice(11, 16), instant: instantOf(s, timeZone) };
}

/** `HH:MM` plus minutes. */
export function addMinutes(time: string, minutes: number): string {
  const t = Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) + minutes;
  return `${String(Math.floor(t / 60) % 24).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}
