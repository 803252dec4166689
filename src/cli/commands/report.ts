// `journal-gateway report <kind> --config FILE --school ID --period P --format csv|html|json [--out FILE]`: one of the
// regulation reports (canonical-model.md §B.9) from the canonical store. `--school` is the school's canonical
// organization id or its id in the configuration; `--period` an academic session (id or title), a month
// YYYY-MM, or a day YYYY-MM-DD for the 7 days ending that day. See docs/reports.md.
import { loadCheckedConfig } from '../../config/check-platforms.js';
import type { GatewayConfig, SchoolConfig } from '../../config/schema.js';
import {
  REPORT_FORMATS, REPORT_KIND_NAMES, ReportInputError, isReportKind, renderReport, reportFromStore, type ReportFormat,
} from '../../reports/index.js';
import { DEFAULT_CSV_SEPARATOR } from '../../infra/csv-field.js';
import { parseCsvSeparator } from '../options.js';
import { writeFileOutput } from '../file-output.js';
import { findSchool, reportOptionsOf } from '../../reports/find-school.js';
import { openConfiguredStore } from '../../jobs/job-context.js';
import type { Store } from '../../store/index.js';

export interface ReportCliOptions { config: string; school: string; period: string; format: string; out?: string; class?: string; separator?: string }

/** The school's canonical id and configuration entry, or an error that says how to get it into the store or which schools are there. */
async function resolveSchool(store: Store, cfg: GatewayConfig, school: string, configFile: string): Promise<{ id: string; config?: SchoolConfig }> {
  const found = await findSchool(store, cfg.schools, school);
  if (found.found) return found;
  if ('notSynced' in found) {
    throw new Error(`school "${school}" of the configuration (canonical id ${found.notSynced}) is not in the store yet: run \`journal-gateway sync roster --config ${configFile} --school ${school}\` first`);
  }
  const known: string[] = [];
  for await (const o of store.iterate('organization')) if (o.entity === 'organization' && o.type === 'school' && o.status !== 'deleted') known.push(o.id);
  throw new ReportInputError(`unknown school "${school}": not a school organization id in the store nor a school id in ${cfg.schools.length ? 'the configuration' : 'the configuration (it lists no schools)'}; schools in the store: ${known.join(', ') || 'none'}`);
}

export async function run(kind: string, opts: ReportCliOptions): Promise<number> {
  // Cheap checks first: no store is opened for a typo.
  if (!isReportKind(kind)) throw new ReportInputError(`unknown report kind "${kind}"; known: ${REPORT_KIND_NAMES.join(', ')}`);
  if (!(REPORT_FORMATS as readonly string[]).includes(opts.format)) {
    throw new ReportInputError(`unknown --format "${opts.format}"; known: ${REPORT_FORMATS.join(', ')}`);
  }
  const separator = parseCsvSeparator('--separator', opts.separator ?? DEFAULT_CSV_SEPARATOR);
  const cfg = loadCheckedConfig(opts.config);
  const store = await openConfiguredStore(cfg);
  try {
    const school = await resolveSchool(store, cfg, opts.school, opts.config);
    const report = await reportFromStore(store, kind, school.id, opts.period, reportOptionsOf(school.config, opts.class));
    const text = renderReport(report, opts.format as ReportFormat, { separator });
    if (opts.out) {
      // Atomic: last night's good report stays until this one is whole (a cron job overwrites the same file).
      await writeFileOutput(opts.out, text);
      const rows = report.tables.reduce((n, t) => n + t.rows.length, 0);
      process.stderr.write(`${report.title}: ${report.tables.length} table(s), ${rows} row(s) → ${opts.out}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } finally {
    await store.close();
  }
}
