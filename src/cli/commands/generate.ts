// `journal-gateway generate`: a synthetic school as canonical NDJSON, streamed (flat memory).
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { generateRecords } from '../../emulators/dataset/index.js';
import { writeLine } from '../ndjson.js';
import { parseCount } from '../options.js';

export async function run(opts: { seed: string; pupils: string; weeks?: string; schools: string; out?: string }): Promise<number> {
  const options = {
    seed: parseCount('--seed', opts.seed, 0),
    pupils: parseCount('--pupils', opts.pupils, 1),
    schools: parseCount('--schools', opts.schools, 1),
    ...(opts.weeks ? { weeks: parseCount('--weeks', opts.weeks, 1) } : {}),
  };
  const out = opts.out ? createWriteStream(opts.out) : process.stdout;
  // A file that cannot be opened (a missing folder) is one clear error, not an unhandled stream event.
  if (opts.out) await once(out, 'open');
  let n = 0;
  for (const record of generateRecords(options)) {
    await writeLine(out, JSON.stringify(record));
    n++;
  }
  if (opts.out) {
    (out as NodeJS.WritableStream).end();
    await finished(out as NodeJS.WritableStream);
    process.stderr.write(`wrote ${n} records to ${opts.out}\n`);
  }
  return 0;
}
