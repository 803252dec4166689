// CSV (RFC 4180, UTF-8 with a BOM so spreadsheet programs read Cyrillic; comma-separated, or semicolon-separated on
// request as the reports' CSV, src/infra/csv-field.ts) and printable HTML for the yearly archive documents (R-31).
// Escaping only; the documents decide what goes in.
import { csvField, DEFAULT_CSV_SEPARATOR, type CsvSeparator } from '../../infra/csv-field.js';
import { inertCell } from '../../infra/spreadsheet-formula.js';

export const CSV_BOM = '\uFEFF';

/** One field: never run as a formula by a spreadsheet (a pupil's name comes from a platform), quoted as RFC 4180 wants. */
export function csvCell(v: string | number | null | undefined, separator: CsvSeparator = DEFAULT_CSV_SEPARATOR): string {
  return csvField(inertCell(v === null || v === undefined ? '' : String(v)), separator);
}

/** One line, CRLF-ended. With the default comma the bytes are those archives made before the separator could be chosen. */
export const csvRow = (cells: (string | number | null | undefined)[], separator: CsvSeparator = DEFAULT_CSV_SEPARATOR) =>
  `${cells.map((c) => csvCell(c, separator)).join(separator)}\r\n`;

export function html(s: string | number): string {
  return String(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** A whole printable page: A4 landscape, each section on its own sheet, tables that repeat their header. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${html(title)}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font: 10pt/1.3 "PT Serif", "Times New Roman", "Liberation Serif", serif; }
h1 { font-size: 14pt; } h2 { font-size: 12pt; break-before: page; } h2:first-of-type { break-before: auto; }
table { border-collapse: collapse; width: 100%; } thead { display: table-header-group; }
th, td { border: 1px solid #000; padding: 1px 3px; text-align: center; } td.name, th.name { text-align: left; white-space: nowrap; }
footer { margin-top: 8mm; font-size: 8pt; }
</style></head><body>
<h1>${html(title)}</h1>
${body}
</body></html>
`;
}

/** 2026 → «2025/2026». */
export const yearLabel = (schoolYear: number) => `${schoolYear - 1}/${schoolYear}`;

/** 2025-09-03 → 03.09 (column heads of a journal page). */
export const dayMonth = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}`;
