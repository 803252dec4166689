// What the migration report's renderings share: HTML escaping and the Russian names of the entities (the HTML report is
// for the school's staff).
export const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * Rows a long table of the HTML report shows (the operator opens the page in a browser: a 1,000-pupil school can have
 * tens of thousands); the page says how many more there are, and the JSON report holds them all.
 */
export const HTML_ROWS_SHOWN = 1000;

/** The heading's note for a table cut at {@link HTML_ROWS_SHOWN} rows, or '' when it shows every row. */
const shownOf = (total: number) => (total > HTML_ROWS_SHOWN ? ` (показаны первые ${HTML_ROWS_SHOWN} из ${total}; все — в JSON-отчёте)` : '');

/**
 * A long table of the HTML report, cut at {@link HTML_ROWS_SHOWN}: the rows it shows, and the note its heading ends
 * with ({@link shownOf}). Every list of the report that grows with the school goes through here, so none is left
 * uncapped (the records the target cannot delete and the lessons missing from its timetable once were).
 */
export function cappedRows<T>(items: readonly T[], row: (item: T) => string): { rows: string; note: string } {
  return { rows: items.slice(0, HTML_ROWS_SHOWN).map(row).join(''), note: shownOf(items.length) };
}

export const ENTITY_RU: Record<string, string> = {
  mark: 'Отметки', attendance_record: 'Посещаемость', person: 'Обучающиеся', section: 'Группы (класс × предмет)', lesson: 'Уроки', final_mark: 'Итоговые отметки',
  homework: 'Домашние задания',
};
