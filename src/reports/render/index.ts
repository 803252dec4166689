import type { Report } from '../types.js';
import { type CsvSeparator, renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';

export { renderCsv, csvField, BOM, CSV_SEPARATORS, type CsvSeparator } from './csv.js';
export { renderHtml, escapeHtml } from './html.js';
export { renderJson } from './json.js';

export const REPORT_FORMATS = ['csv', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(report: Report, format: ReportFormat, opts: { separator?: CsvSeparator } = {}): string {
  return format === 'csv' ? renderCsv(report, opts.separator) : format === 'html' ? renderHtml(report) : renderJson(report);
}
