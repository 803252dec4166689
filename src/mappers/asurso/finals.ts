// `files/{id}#studenttotal` — the HTML file of a `reports/studenttotal` task of the report queue (platforms.md §1.5) → one pupil's final marks:
// per subject row, one final mark per «Итог <period>» cell, with the «Средн. <period>» cell as its computed
// average. The report names subjects and periods by title; the connector passes what places them:
//   ids.studentId — the pupil the report was run for (`SID`; the report's heading with the name is never read);
//   ids.sg        — JSON {subject name: subject group id} of the pupil's subject groups;
//   ids.teachers  — JSON {subject group id: teacher id} (the report does not say who set a mark: the group's teacher);
//   ids.periods   — JSON [[title, platform id, kind, last day]] of the class's terms and the year (`год`).
import { finalMarkId } from '../../model/ids.js';
import type { CanonicalRecord } from '../../model/records.js';
import type { MapContext, MapResult, QuarantineItem } from '../../connectors/mapping.js';
import { REPORT_TABLE } from '../../connectors/asurso/report-api.js';
import { readReportTable } from '../../connectors/asurso/report-table.js';
import { idFor, instantOf, make } from './context.js';
import { finalKindOfPeriod } from '../../model/final-kinds.js';

/** A period the report can show: title as in the column, platform id, term kind, last day. */
export type ReportPeriod = [title: string, id: string, kind: string, endDate: string];


const json = <T>(ctx: MapContext, key: string, fallback: T): T => {
  const v = ctx.ids[key] as unknown;
  if (v === undefined || v === '') return fallback;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
};

/** A decimal average as the report prints it (`4,25`); `undefined` when the cell is empty. */
function averageOf(text: string): number | undefined | 'bad' {
  if (!text) return undefined;
  return /^\d+(?:[.,]\d+)?$/u.test(text) ? Number(text.replace(',', '.')) : 'bad';
}

export function mapStudentTotal(route: string, payload: unknown, ctx: MapContext): MapResult {
  const table = readReportTable(payload, route);
  const records: CanonicalRecord[] = [];
  const quarantine: QuarantineItem[] = [];
  const q = (x: Omit<QuarantineItem, 'route'>) => void quarantine.push({ route, ...x });
  const pupil = ctx.ids.studentId;
  if (!pupil) return { records, quarantine: [{ route, field: 'ids.studentId', reason: 'the pupil the report was run for (SID) is not in the context' }] };
  const groups = json<Record<string, string | number>>(ctx, 'sg', {});
  const teachers = json<Record<string, string | number>>(ctx, 'teachers', {});
  const periods = new Map(json<ReportPeriod[]>(ctx, 'periods', []).map((p) => [p[0].toLowerCase(), p]));

  // Column → (period, average column) for every «Итог …» column; an unknown title is reported once.
  const averageCol = new Map<string, number>();
  table.periods.forEach((t, c) => { const m = REPORT_TABLE.average.exec(t); if (m) averageCol.set(m[1].toLowerCase(), c); });
  const finals: { col: number; period: ReportPeriod; kind: NonNullable<ReturnType<typeof finalKindOfPeriod>> }[] = [];
  table.periods.forEach((title, col) => {
    const m = REPORT_TABLE.final.exec(title);
    if (!m) return;
    const period = periods.get(m[1].toLowerCase());
    // A trimester's column is a grading-period mark (final-kinds.ts).
    const kind = period && finalKindOfPeriod(period[2]);
    if (!period || !kind) q({ field: 'periods', rawValue: title, reason: 'a final-mark column of a period unknown to terms/{id} or of a kind without canonical final marks' });
    else finals.push({ col, period, kind });
  });

  const studentId = idFor(ctx, 'person', pupil);
  for (const row of table.rows) {
    const given = finals.filter((f) => row.cells[f.col]);
    if (!given.length) continue;
    const sg = groups[row.subject];
    const teacher = sg === undefined ? undefined : teachers[String(sg)];
    if (sg === undefined || teacher === undefined) {
      q({ sourceId: `${pupil}:${row.subject}`, field: 'subject', rawValue: row.subject, reason: 'the subject is not one of the pupil\'s subject groups with a teacher (subjectgroups, grade/studentList?sgId=)' });
      continue;
    }
    const sectionId = idFor(ctx, 'section', sg);
    for (const { col, period, kind } of given) {
      const raw = row.cells[col];
      const sourceId = `${pupil}:${sg}:${period[1]}`;
      const avgCol = averageCol.get(period[0].toLowerCase());
      const average = avgCol === undefined ? undefined : averageOf(row.cells[avgCol]);
      if (average === 'bad') { q({ sourceId, field: table.periods[avgCol!], rawValue: row.cells[avgCol!], reason: 'an average that is not a decimal number' }); continue; }
      const periodId = idFor(ctx, 'academic_session', period[1]);
      // Marks are text in the report: digits are a mark of the scale; «н/а», «осв», «зач» are kept raw with no
      // base, and R-18 decides whether the school's final-mark list allows them.
      records.push(make(ctx, 'final_mark', finalMarkId(studentId, sectionId, kind, periodId), 'final_mark', sourceId, {
        studentId, sectionId, kind, periodId, raw, base: /^[1-5]$/u.test(raw) ? Number(raw) : null, computedAverage: average,
        // The report has no date of the mark: the period's last day stands for it (uncarried, see ASURSO_UNCARRIED).
        recordedAt: instantOf(`${period[3]}T00:00`, ctx.timeZone), recordedBy: idFor(ctx, 'person', teacher),
      }));
    }
  }
  return { records, quarantine };
}
