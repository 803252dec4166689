// CSV as the import package writes and the support-side loader reads it: UTF-8, `;` separated (what a
// Russian-locale spreadsheet opens without a wizard), a header row, fields quoted when they hold `;`, `"`
// or a line break (RFC 4180 quoting otherwise).

export type Row = Record<string, string | number | boolean | null | undefined>;

const quote = (v: Row[string]) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(columns: readonly string[], rows: Iterable<Row>): string {
  const out = [columns.join(';')];
  for (const r of rows) out.push(columns.map((c) => quote(r[c])).join(';'));
  return `${out.join('\r\n')}\r\n`;
}

/** Parses {@link toCsv} output back into rows keyed by the header. */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') inQuotes = false;
      else field += c;
    } else if (c === '"') inQuotes = true;
    else if (c === ';') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      records.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); records.push(row); }
  const [header, ...body] = records;
  if (!header) return [];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
