// `journal-gateway eljur-package FILE --out DIR`: the import package for a school moving to ЭлЖур
// (issue 6; ЭлЖур has no journal write API, platforms.md §4.4) from canonical NDJSON (what `generate`
// writes and a store export gives): CSV files, manifest.json and README.md for the ЭлЖур support team.
import { buildImportPackage } from '../../connectors/eljur/import/index.js';
import { type CanonicalRecord, parseRecord } from '../../model/index.js';
import { checkInputFile } from '../input-file.js';
import { readNdjson } from '../ndjson.js';
import { UsageError } from '../../infra/operator-errors.js';
import { checkWindow } from '../options.js';
import { recordsOfOneYear } from '../../sync/school-records.js';
import { writeImportPackage } from '../../sync/write-import-package.js';

export async function run(file: string, opts: { out: string; vendor?: string; from?: string; to?: string; now?: string }): Promise<number> {
  // The window first: a month 13 or a reversed window wrote a package without lessons or marks and exited 0.
  if ((opts.from && !opts.to) || (!opts.from && opts.to)) throw new UsageError('--from and --to go together');
  if (opts.from && opts.to) checkWindow('--from', opts.from, '--to', opts.to);
  checkInputFile(file, 'canonical NDJSON file');
  const records: CanonicalRecord[] = [];
  for await (const line of readNdjson(file)) {
    if (line.error) throw new Error(`${file}:${line.line}: ${line.error}`);
    try {
      records.push(parseRecord(line.value));
    } catch (e) {
      // Which line of which file, as for a line that is not JSON (the record's own message names entity, id and field).
      throw new Error(`${file}:${line.line}: ${(e as Error).message}`);
    }
  }
  // One school year: an export made after a rollover holds last year's classes and terms beside the new year's.
  const window = opts.from && opts.to ? { from: opts.from, to: opts.to } : undefined;
  const pkg = buildImportPackage(recordsOfOneYear(records, window), {
    vendor: opts.vendor, generatedAt: opts.now ?? new Date().toISOString(), window,
  });
  writeImportPackage(opts.out, pkg);
  for (const f of pkg.manifest.files) process.stderr.write(`${f.name.padEnd(20)} ${String(f.rows).padStart(7)} rows\n`);
  process.stderr.write(`import package for ${pkg.manifest.school.name} written to ${opts.out}\n`);
  return 0;
}
