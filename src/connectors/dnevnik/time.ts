// Дневник.ру sends and takes wall-clock date-times without an offset (platforms.md §3.5).

/** `YYYY-MM-DDTHH:MM:SS` of a UTC instant in the school's zone. */
export function localDateTimeOf(instant: string, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}
