// Reports from the canonical store (canonical-model.md §B.9, DECISIONS.md §10).
export * from './types.js';
export { REPORT_KINDS, REPORT_KIND_NAMES, buildReport, reportFromStore, isReportKind, type ReportKindName, type ReportOptions } from './registry.js';
export { loadSchoolData, ReportInputError, type SchoolData } from './school-data.js';
export { resolvePeriod } from './period.js';
export { renderReport, REPORT_FORMATS, CSV_SEPARATORS, type ReportFormat, type CsvSeparator } from './render/index.js';
