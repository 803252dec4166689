// A printable HTML page: Russian headings, every value escaped, A4 print CSS with the table head repeated on each
// printed page; a report with several tables (a page per guardian) starts each table on a new sheet.
import type { Report, ReportTable } from '../types.js';
import { russianCell } from './format.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
body { font: 12px/1.35 "PT Sans", Arial, sans-serif; margin: 16px; color: #000; }
h1 { font-size: 17px; margin: 0 0 4px; } h2 { font-size: 14px; margin: 16px 0 6px; }
.meta { margin: 0 0 10px; color: #333; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px; }
th, td { border: 1px solid #555; padding: 2px 5px; vertical-align: top; }
th { background: #eee; text-align: center; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
tfoot td { font-weight: 700; background: #f6f6f6; }
.notes { margin-top: 10px; font-size: 11px; color: #333; }
.sign { margin-top: 24px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; }
  thead { display: table-header-group; } tfoot { display: table-row-group; }
  tr { page-break-inside: avoid; }
  section.page + section.page { page-break-before: always; }
}`;

function renderTable(t: ReportTable): string {
  const numeric = (type: string) => type === 'count' || type === 'share' || type === 'number';
  const cell = (tag: 'td', type: string, text: string) => `<${tag}${numeric(type) ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c.title)}</th>`).join('');
  const body = t.rows.length
    ? t.rows.map((r) => `<tr>${t.columns.map((c) => cell('td', c.type, russianCell(c, r[c.key] ?? null))).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${t.columns.length}">Нет данных за период</td></tr>`;
  const foot = `<tr>${t.columns.map((c) => cell('td', c.type, russianCell(c, t.totals[c.key] ?? null))).join('')}</tr>`;
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n<tfoot>${foot}</tfoot>\n</table>`;
}

export function renderHtml(report: Report): string {
  const p = report.period;
  // A week's title already carries its dates.
  const dates = p.kind === 'week' ? '' : ` (${escapeHtml(p.from)} – ${escapeHtml(p.to)})`;
  const meta = `${escapeHtml(report.school.name)}<br>Период: ${escapeHtml(p.title)}${dates} · ${escapeHtml(report.rule)}`;
  const heading = `<h1>${escapeHtml(report.title)}</h1>\n<p class="meta">${meta}</p>\n`;
  const notes = report.notes.length ? `<div class="notes">${report.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('')}</div>\n` : '';
  const title = (t: ReportTable) => (t.title ? `<h2>${escapeHtml(t.title)}</h2>\n` : '');
  let body: string;
  if (report.pagePerTable) {
    // Every sheet stands alone when handed to a family: heading, table, notes, signature line.
    body = report.tables.map((t) => `<section class="page">\n${heading}${title(t)}${renderTable(t)}\n${notes}<p class="sign">Классный руководитель ____________________</p>\n</section>`).join('\n')
      || `${heading}<p>Нет родителей, отказавшихся от электронного дневника</p>\n`;
  } else {
    body = `${heading}${report.tables.map((t) => `<section>\n${title(t)}${renderTable(t)}\n</section>`).join('\n')}\n${notes}`;
  }
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`${report.title} — ${p.title}`)}</title>
<style>${CSS}
</style>
</head>
<body>
${body}</body>
</html>
`;
}
