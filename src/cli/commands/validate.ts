// `journal-gateway validate FILE`: schema and rules R-01…R-24 over canonical NDJSON.
// Prints one JSON line per violation on stdout; exits 1 when any blocking rule or schema check fails, or the file holds
// no record at all.
import { type CanonicalRecord, parseRecord, RecordValidationError } from '../../model/index.js';
import { isBlocking, validateRecords } from '../../model/rules/index.js';
import { checkInputFile } from '../input-file.js';
import { readNdjson, writeLine } from '../ndjson.js';
import { parseInstant } from '../options.js';

export async function run(file: string, opts: { now?: string }): Promise<number> {
  // Both checked before a line is read: a mistake is one line and exit 64, not a failed validation.
  const now = opts.now !== undefined ? parseInstant('--now', opts.now) : new Date().toISOString();
  checkInputFile(file, 'canonical NDJSON file');
  const records: CanonicalRecord[] = [];
  let blocking = 0;
  let total = 0;
  for await (const line of readNdjson(file)) {
    if (line.error) {
      blocking++;
      await writeLine(process.stdout, JSON.stringify({ ruleId: 'schema', severity: 'block', file, line: line.line, message: line.error }));
      continue;
    }
    try {
      records.push(parseRecord(line.value));
    } catch (e) {
      if (!(e instanceof RecordValidationError)) throw e;
      blocking++;
      for (const issue of e.issues) {
        await writeLine(process.stdout, JSON.stringify({
          ruleId: 'schema', severity: 'block', file, line: line.line, entity: e.entity, id: e.recordId, field: issue.path, message: issue.message,
        }));
      }
    }
  }
  // A file without a single record is a failed export, not a valid school: it must not pass as one.
  if (records.length === 0 && blocking === 0) {
    await writeLine(process.stdout, JSON.stringify({ ruleId: 'schema', severity: 'block', file, message: 'no records: the file is empty or holds blank lines only' }));
    process.stderr.write(`${file}: no records to check (an empty export?)\n`);
    return 1;
  }
  for (const v of validateRecords(records, { now })) {
    total++;
    if (isBlocking(v)) blocking++;
    await writeLine(process.stdout, JSON.stringify(v));
  }
  process.stderr.write(`${records.length} records checked, ${total} rule violations, ${blocking} blocking\n`);
  return blocking > 0 ? 1 : 0;
}
