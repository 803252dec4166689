// `journal-gateway generate`: a synthetic school as canonical NDJSON, streamed (flat memory).
import { generateRecords } from '../../emulators/dataset/index.js';
import { openFileOutput } from '../file-output.js';
import { writeLine } from '../ndjson.js';
import { parseCount } from '../options.js';

export async function run(opts: { seed: string; pupils: string; weeks?: string; schools: string; out?: string }): Promise<number> {
  const options = {
    seed: parseCount('--seed', opts.seed, 0),
    pupils: parseCount('--pupils', opts.pupils, 1),
    schools: parseCount('--schools', opts.schools, 1),
    ...(opts.weeks !== undefined ? { weeks: parseCount('--weeks', opts.weeks, 1) } : {}),
  };
  if (!opts.out) {
    for (const record of generateRecords(options)) await writeLine(process.stdout, JSON.stringify(record));
    return 0;
  }
  // Under its name only once complete: a cut-off file would pass `validate` as a smaller school.
  const output = await openFileOutput(opts.out);
  let n = 0;
  try {
    for (const record of generateRecords(options)) {
      await writeLine(output.stream, JSON.stringify(record));
      n++;
    }
  } catch (e) {
    throw output.fail(e);
  }
  await output.commit();
  process.stderr.write(`wrote ${n} records to ${opts.out}\n`);
  return 0;
}
