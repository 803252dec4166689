// Teachers' corrections of marks already in the journal (any week, not only recent ones), made in the
// emulator's own data the way a teacher's edit in the platform's UI would: the mark keeps its id, pupil,
// work and slot, and gets another value. Benchmarks and tests use it to check that a delta finds them.
import { Rng } from '../dataset/rng.js';
import type { DnevnikWorld, NMark } from './world.js';

/**
 * Changes `share` of the five-point marks (rounded; at least one), picked uniformly over the whole journal by a
 * seeded draw, and returns their platform ids.
 */
export function correctMarks(world: DnevnikWorld, share: number, seed = 1): string[] {
  if (!(share > 0 && share <= 1)) throw new Error(`correctMarks: share must be in (0, 1], got ${share}`);
  const eligible = [...world.marks.values()].filter((m) => /^[2-5]$/.test(m.value));
  const count = Math.min(eligible.length, Math.max(1, Math.round(share * eligible.length)));
  const rng = new Rng(`corrections:${seed}`);
  // Partial Fisher–Yates: the first `count` places become a uniform sample.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.next() * (eligible.length - i));
    [eligible[i], eligible[j]] = [eligible[j], eligible[i]];
    correct(eligible[i]);
  }
  return eligible.slice(0, count).map((m) => String(m.id));
}

/** Another five-point value for the mark (5 → 4, otherwise one up), without a `+`/`-` suffix. */
export function correct(m: NMark): void {
  const value = m.value === '5' ? '4' : String(Number(m.value) + 1);
  m.value = value;
  m.textValue = value;
}
