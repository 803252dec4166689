// JSON: the report object as built — raw numbers (shares 0…1), nulls for empty cells.
import type { Report } from '../types.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
