// The cell (pupil × lesson) a mark or absence that could not be mapped stands in, named on its quarantine line so that
// journal deletes leave that cell alone instead of refusing every delete of the read (sync/partial-read.ts).
import type { CellHold, MapContext } from '../../connectors/mapping.js';
import { canonicalIdFor } from '../../connectors/mapping.js';

/** A platform id as the four platforms send them (a non-negative integer, or its decimal text); anything else is not trusted. */
function decimalId(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return v;
  return undefined;
}

/**
 * The cell a record names by its platform ids, as canonical ids. An id that is missing or not an id (the field the
 * record failed on, maybe) is left out, so the hold grows — the pupil's whole read, or the lesson's — rather than
 * naming a cell the record may not stand for. Undefined when it names neither: the line then holds the whole read.
 */
export function cellHoldOf(ctx: Pick<MapContext, 'system' | 'instance' | 'resolve'>, pupil: unknown, lesson: unknown): CellHold | undefined {
  const p = decimalId(pupil);
  const l = decimalId(lesson);
  if (p === undefined && l === undefined) return undefined;
  return { ...(p !== undefined ? { studentId: canonicalIdFor(ctx, 'person', p) } : {}), ...(l !== undefined ? { lessonId: canonicalIdFor(ctx, 'lesson', l) } : {}) };
}

/**
 * {@link cellHoldOf} of a raw record by the names of its pupil and lesson fields (a record that failed its schema).
 * A field the record failed on (`failed`, parseItems) is left out: a lesson id 0 where ids are positive names no lesson.
 */
export function rawCellHold(
  ctx: Pick<MapContext, 'system' | 'instance' | 'resolve'>, raw: unknown, fields: { pupil?: string; lesson?: string }, failed: ReadonlySet<string> = new Set(),
): CellHold | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const field = (name: string | undefined) => (name && !failed.has(name) ? r[name] : undefined);
  return cellHoldOf(ctx, field(fields.pupil), field(fields.lesson));
}
