// `journal-gateway eljur-package FILE --out DIR`: the import package for a school moving to ЭлЖур
// (issue 6; ЭлЖур has no journal write API, platforms.md §4.4) from canonical NDJSON (what `generate`
// writes and a store export gives): CSV files, manifest.json and README.md for the ЭлЖур support team.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildImportPackage } from '../../connectors/eljur/import/index.js';
import { type CanonicalRecord, parseRecord } from '../../model/index.js';
import { checkInputFile } from '../input-file.js';
import { readNdjson } from '../ndjson.js';
import { UsageError } from '../../infra/operator-errors.js';

export async function run(file: string, opts: { out: string; vendor?: string; from?: string; to?: string; now?: string }): Promise<number> {
  checkInputFile(file, 'canonical NDJSON file');
  const records: CanonicalRecord[] = [];
  for await (const line of readNdjson(file)) {
    if (line.error) throw new Error(`${file}:${line.line}: ${line.error}`);
    records.push(parseRecord(line.value));
  }
  if ((opts.from && !opts.to) || (!opts.from && opts.to)) throw new UsageError('--from and --to go together');
  const pkg = buildImportPackage(records, {
    vendor: opts.vendor, generatedAt: opts.now ?? new Date().toISOString(), window: opts.from && opts.to ? { from: opts.from, to: opts.to } : undefined,
  });
  mkdirSync(opts.out, { recursive: true });
  for (const [name, text] of pkg.files) writeFileSync(path.join(opts.out, name), text, 'utf8');
  for (const f of pkg.manifest.files) process.stderr.write(`${f.name.padEnd(20)} ${String(f.rows).padStart(7)} rows\n`);
  process.stderr.write(`import package for ${pkg.manifest.school.name} written to ${opts.out}\n`);
  return 0;
}
