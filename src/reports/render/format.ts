// How a cell reads in a file: shares as percentages, averages with two decimals. CSV keeps a dot decimal
// separator (RFC 4180 files are comma-separated); the printable page uses Russian number formatting.
import type { Cell, Column } from '../types.js';

export function plainCell(col: Column, v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (col.type === 'share') return (Math.round(v * 1000) / 10).toFixed(1);
  if (col.type === 'number' && !Number.isInteger(v)) return v.toFixed(2);
  return String(v);
}

const ruNumber = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 });
const ruPercent = new Intl.NumberFormat('ru-RU', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function russianCell(col: Column, v: Cell): string {
  if (v === null || v === undefined) return col.type === 'share' ? '—' : '';
  if (typeof v === 'string') return v;
  if (col.type === 'share') return ruPercent.format(v);
  return ruNumber.format(v);
}

/** CSV headings say the unit the plain values are in. */
export function plainTitle(col: Column): string {
  return col.type === 'share' ? `${col.title}, %` : col.title;
}
