// The marks and absences a read could not map, by the cell each quarantine line names (connectors/mapping.ts
// `holds`): journal deletes leave them alone, since the record a line stands for may be one the store holds there.
import type { CellHold, Hold } from '../connectors/mapping.js';

export class HeldCells {
  private readonly pupils = new Set<string>();
  private readonly lessons = new Set<string>();
  private readonly cells = new Set<string>();
  /** The platform ids the lines name (their `sourceId`): a stored record linked to one is not judged either. */
  readonly sourceIds = new Set<string>();

  /**
   * Holds what `hold` names; true for `'none'` (the line hides no mark or absence the deletes judge), false when it
   * names nothing, or one of its cells names nothing (it may hide anything).
   */
  add(hold: Hold | undefined): boolean {
    if (hold === 'none') return true;
    if (Array.isArray(hold)) return hold.length > 0 && hold.map((h: CellHold) => this.add(h)).every(Boolean);
    return this.addCell(hold as CellHold | undefined);
  }

  private addCell(hold: CellHold | undefined): boolean {
    if (hold?.studentId && hold.lessonId) this.cells.add(`${hold.studentId}|${hold.lessonId}`);
    else if (hold?.studentId) this.pupils.add(hold.studentId);
    else if (hold?.lessonId) this.lessons.add(hold.lessonId);
    else return false;
    return true;
  }

  /** Whether a stored mark or absence is in a held cell: of a held pupil, of a held lesson, or the held pupil's in the held lesson. */
  has(record: object): boolean {
    const { studentId, lessonId } = record as { studentId?: unknown; lessonId?: unknown };
    const pupil = typeof studentId === 'string' ? studentId : undefined;
    const lesson = typeof lessonId === 'string' ? lessonId : undefined;
    return (pupil !== undefined && this.pupils.has(pupil)) || (lesson !== undefined && this.lessons.has(lesson))
      || (pupil !== undefined && lesson !== undefined && this.cells.has(`${pupil}|${lesson}`));
  }

  get empty(): boolean {
    return this.pupils.size + this.lessons.size + this.cells.size === 0;
  }
}
