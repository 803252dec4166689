// The shape every report returns (canonical-model.md §B.9): typed tables whose totals row is derived from the
// rows by one function (table.ts), so a report's figures add up by construction (spec §C.4 incident 11).
export type Cell = string | number | null;

export type ColumnType =
  /** Free text (names, titles, marks as written). */
  | 'text'
  /** A count: the totals cell is the sum of the rows. */
  | 'count'
  /** A ratio 0…1 of two count columns; the totals cell is Σnumerator / Σdenominator, never a sum of shares. */
  | 'share'
  /** A measured value (an average, hours); the totals cell is left empty unless the report sets it. */
  | 'number'
  /** A mark cell of a sheet (text); the totals cell counts the filled cells. */
  | 'mark';

export interface Column {
  key: string;
  /** Russian heading, as the regulation names the figure. */
  title: string;
  type: ColumnType;
  /** For `share`: the count columns it divides. */
  share?: { numerator: string; denominator: string };
}

export type Row = Record<string, Cell>;

export interface ReportTable {
  /** Set when a report has several tables (a page per guardian, a section per class). */
  title?: string;
  columns: Column[];
  rows: Row[];
  totals: Row;
}

export interface ReportPeriod {
  /** The academic_session id when the period is a session. */
  sessionId?: string;
  kind: 'session' | 'month' | 'week';
  /** The session kind (quarter, half_year, school_year…) when kind = session. */
  sessionKind?: string;
  title: string;
  /** Inclusive calendar dates in the school's zone. */
  from: string;
  to: string;
}

export interface Report {
  kind: string;
  /** The canonical-model rule the report implements (R-36… ). */
  rule: string;
  title: string;
  school: { id: string; name: string; timeZone: string };
  period: ReportPeriod;
  tables: ReportTable[];
  /** What was counted and how, in Russian, printed under the tables. */
  notes: string[];
  /** Each table is a page of its own (the R-30 printout: a sheet per guardian, with a signature line). */
  pagePerTable?: boolean;
}
