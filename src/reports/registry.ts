// The report kinds `journal-gateway report <kind>` and the web server know: each with its rule, Russian title,
// the period forms it takes, and its builder over one school's data.
import type { MinMarksTable } from '../model/rules/types.js';
import type { Store } from '../store/index.js';
import { monthlyAttendance } from './attendance.js';
import { restrictToClass } from './class-filter.js';
import { familyDelivery } from './family-delivery.js';
import { familyPrintout } from './family-printout.js';
import { journalFilling } from './journal-filling.js';
import { type PeriodForm, resolvePeriod } from './period.js';
import { classProgress } from './progress.js';
import { progressSummary } from './progress-summary.js';
import { loadSchoolData, ReportInputError, type SchoolData } from './school-data.js';
import { summarySheet } from './summary-sheet.js';
import { teacherActivity } from './teacher-activity.js';
import type { Report, ReportPeriod, ReportTable } from './types.js';

export interface ReportOptions {
  minMarks?: MinMarksTable;
  /** One homeroom class (title «5А» or id) instead of the whole school. */
  classRef?: string;
}

interface Built { tables: ReportTable[]; notes: string[]; period?: ReportPeriod; pagePerTable?: boolean }

interface ReportKind {
  rule: string;
  title: string;
  periods: readonly PeriodForm[];
  build: (data: SchoolData, period: ReportPeriod, opts: ReportOptions) => Built;
}

const single = (r: { table: ReportTable; notes: string[]; period?: ReportPeriod }): Built => ({ tables: [r.table], notes: r.notes, ...(r.period ? { period: r.period } : {}) });

export const REPORT_KINDS = {
  'journal-filling': {
    rule: 'R-39', title: 'Заполнение электронного журнала', periods: ['session', 'month'],
    build: (d, p) => single(journalFilling(d, p)),
  },
  attendance: {
    rule: 'R-36', title: 'Сводная ведомость учёта посещаемости', periods: ['month', 'session'],
    build: (d, p) => single(monthlyAttendance(d, p)),
  },
  progress: {
    rule: 'R-37', title: 'Итоги успеваемости класса за учебный период', periods: ['session'],
    build: (d, p, o) => {
      const detail = classProgress(d, p, o.minMarks);
      return { tables: [{ ...detail.table, title: 'По ученикам и предметам' }, progressSummary(d, p)], notes: detail.notes };
    },
  },
  'summary-sheet': {
    rule: 'R-38', title: 'Сводная ведомость учёта успеваемости', periods: ['session'],
    build: (d, p) => single(summarySheet(d, p)),
  },
  'teacher-activity': {
    rule: 'R-40', title: 'Активность учителей в электронном журнале', periods: ['month', 'session', 'week'],
    build: (d, p) => single(teacherActivity(d, p)),
  },
  'family-delivery': {
    rule: 'R-29', title: 'Своевременность публикации отметок семьям', periods: ['month', 'session', 'week'],
    build: (d, p) => familyDelivery(d, p),
  },
  'family-printout': {
    rule: 'R-30', title: 'Еженедельная распечатка для родителей без электронного дневника', periods: ['week', 'month', 'session'],
    build: (d, p) => ({ ...familyPrintout(d, p), pagePerTable: true }),
  },
} as const satisfies Record<string, ReportKind>;

export type ReportKindName = keyof typeof REPORT_KINDS;
export const REPORT_KIND_NAMES = Object.keys(REPORT_KINDS) as ReportKindName[];

export function isReportKind(kind: string): kind is ReportKindName {
  return Object.hasOwn(REPORT_KINDS, kind);
}

/** Builds a report from already loaded school data (callers that build several reports load the school once). */
export function buildReport(data: SchoolData, kind: string, periodInput: string, opts: ReportOptions = {}): Report {
  if (!isReportKind(kind)) throw new ReportInputError(`unknown report kind "${kind}"; known: ${REPORT_KIND_NAMES.join(', ')}`);
  const def: ReportKind = REPORT_KINDS[kind];
  const asked = resolvePeriod(periodInput, data.sessions, def.periods, kind);
  const scoped = opts.classRef ? restrictToClass(data, opts.classRef, asked) : data;
  const built = def.build(scoped, asked, opts);
  const cls = opts.classRef ? [...scoped.classes.values()][0] : undefined;
  return {
    kind, rule: def.rule, title: cls ? `${def.title} — ${cls.title} класс` : def.title,
    school: { id: data.school.id, name: data.school.name, timeZone: data.timeZone },
    period: built.period ?? asked, tables: built.tables, notes: built.notes,
    ...(built.pagePerTable ? { pagePerTable: true } : {}),
  };
}

/** Loads the school from the store and builds the report. */
export async function reportFromStore(store: Store, kind: string, schoolId: string, periodInput: string, opts: ReportOptions = {}): Promise<Report> {
  if (!isReportKind(kind)) throw new ReportInputError(`unknown report kind "${kind}"; known: ${REPORT_KIND_NAMES.join(', ')}`);
  return buildReport(await loadSchoolData(store, schoolId), kind, periodInput, opts);
}
