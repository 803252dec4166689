// One CSV field as every CSV the gateway writes has it — the reports (src/reports/render/csv.ts) and the yearly
// archive's documents (src/backup/documents/format.ts, R-31): RFC 4180, a field with a quote, the separator, CR or LF
// quoted and its quotes doubled. The separator is a comma by default (RFC 4180); Excel in a Russian locale splits on
// «;» and shows a comma-separated file in one column, so a semicolon can be asked for (the one departure from
// RFC 4180, on request only). Formula-looking text is src/infra/spreadsheet-formula.ts's concern, not this one's.

export const CSV_SEPARATORS = [',', ';'] as const;
export type CsvSeparator = (typeof CSV_SEPARATORS)[number];
export const DEFAULT_CSV_SEPARATOR: CsvSeparator = ',';

export const isCsvSeparator = (s: string): s is CsvSeparator => (CSV_SEPARATORS as readonly string[]).includes(s);

export function csvField(value: string, separator: CsvSeparator = DEFAULT_CSV_SEPARATOR): string {
  return value.includes('"') || value.includes(separator) || /[\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
