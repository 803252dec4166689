// A nightly's read of two ranges that touch (a sweep slice ending the day before the recent window), for the
// connectors that join them into one range request (packedScopeWindows, src/connectors/paging.ts; issue 7):
// the ranges, and a read's requests by emulator route.
import { addDays } from '../../src/model/dates.js';
import type { Connector } from '../../src/connectors/contract.js';
import { readSchool, type SchoolRead, type SchoolReadSpec } from './read-school.js';

/** A 10-day sweep slice from `first` and the 15-day recent window right after it: 25 days joined (≤ 31). */
export function touchingRanges(first: string) {
  const slice = { from: first, to: addDays(first, 9) };
  const recent = { from: addDays(first, 10), to: addDays(first, 24) };
  return { slice, recent, whole: { from: slice.from, to: recent.to } };
}

interface CountingEmulator { stats(): { byRoute: Record<string, number> } }

/** Reads the school as `spec` says and counts the emulator's requests by route during the read. */
export async function readCounted<C extends Connector>(emu: CountingEmulator, spec: SchoolReadSpec<C>): Promise<SchoolRead<C> & { requests: Record<string, number> }> {
  const before = emu.stats().byRoute;
  const res = await readSchool(spec);
  const after = emu.stats().byRoute;
  const requests = Object.fromEntries(Object.entries(after).map(([route, n]) => [route, n - (before[route] ?? 0)]).filter(([, n]) => Number(n) > 0));
  return { ...res, requests };
}
