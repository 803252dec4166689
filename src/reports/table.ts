// Builds a report table and its totals row. Totals are computed here and only here: counts are summed, shares
// are recomputed from the summed counts, mark columns count filled cells.
import type { Cell, Column, ReportTable, Row } from './types.js';

export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Fills each share column of a row from its numerator and denominator columns. */
export function withShares(columns: Column[], row: Row): Row {
  for (const c of columns) {
    if (c.type !== 'share' || !c.share) continue;
    row[c.key] = ratio(Number(row[c.share.numerator] ?? 0), Number(row[c.share.denominator] ?? 0));
  }
  return row;
}

/**
 * The totals row: `label` goes into the first column; counts are Σ rows; shares are Σnum/Σden; mark columns
 * count their filled cells; numbers take `extra[key]` when given, else stay empty.
 */
export function totalsOf(columns: Column[], rows: Row[], label = 'Итого', extra: Row = {}): Row {
  const totals: Row = {};
  columns.forEach((c, i) => {
    let v: Cell = null;
    if (c.type === 'count') v = rows.reduce((s, r) => s + Number(r[c.key] ?? 0), 0);
    else if (c.type === 'mark') v = rows.filter((r) => r[c.key] !== null && r[c.key] !== undefined && r[c.key] !== '').length;
    else if (i === 0) v = label;
    totals[c.key] = v;
  });
  for (const [k, v] of Object.entries(extra)) totals[k] = v;
  return withShares(columns, totals);
}

export function makeTable(columns: Column[], rows: Row[], opts: { title?: string; extraTotals?: Row } = {}): ReportTable {
  const filled = rows.map((r) => withShares(columns, r));
  return {
    ...(opts.title ? { title: opts.title } : {}),
    columns, rows: filled, totals: totalsOf(columns, filled, 'Итого', opts.extraTotals),
  };
}
