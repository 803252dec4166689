// `journal-gateway map <p> <route> FILE`: what a platform payload becomes in the canonical model, as
// NDJSON on stdout; anything the mapper could not place goes to stderr as a quarantine line.
import { readFileSync } from 'node:fs';
import { mapBatch } from '../../connectors/mapping.js';
import { notJson, writeLine } from '../ndjson.js';
import { UsageError } from '../../infra/operator-errors.js';
import { checkInputFile } from '../input-file.js';
import { platformArgument } from '../platform-argument.js';

interface MapOptions {
  context?: string;
  list?: boolean;
}

export async function run(platform: string, route: string | undefined, file: string | undefined, opts: MapOptions): Promise<number> {
  const entry = platformArgument(platform);
  const decl = entry.declaration;
  if (opts.list || !route) {
    for (const r of decl.routes) {
      process.stdout.write(`${r.name.padEnd(40)} ${r.method.padEnd(6)} ${r.path}  [${r.capability}]${r.tag ? ` [${r.tag}]` : ''}\n`);
    }
    return 0;
  }
  if (!decl.routes.some((r) => r.name === route)) {
    throw new UsageError(`${platform} has no route "${route}"; \`journal-gateway map ${platform} --list\` lists them`);
  }
  if (!file) throw new UsageError('a payload FILE is required');
  const context = parseContext(opts.context);
  checkInputFile(file, `payload saved from ${platform} ${route}`);
  const text = readFileSync(file, 'utf8');
  const format = (context.format as 'json' | 'xml' | undefined) ?? (text.trimStart().startsWith('<') ? 'xml' : 'json');
  let payload: unknown = text;
  if (format === 'json') {
    try {
      payload = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file}: ${notJson(e)}; pass --context '{"format":"xml"}' for XML`);
    }
  }
  const { timeZone, fetchedAt, format: _f, ...ids } = context as Record<string, string>;
  const mapped = mapBatch(entry.mapper, {
    route,
    payload,
    context: { timeZone: timeZone ?? 'Europe/Moscow', fetchedAt: fetchedAt ?? new Date().toISOString(), ids, format },
  }, { system: decl.system, instance: String(ids.instance ?? 'cli'), runId: 'map-cli', mapperVersion: decl.mapperVersion });
  for (const r of mapped.records) await writeLine(process.stdout, JSON.stringify(r));
  for (const q of mapped.quarantine) process.stderr.write(`${JSON.stringify({ quarantine: { ...q, rawValue: undefined } })}\n`);
  process.stderr.write(`${mapped.records.length} records, ${mapped.quarantine.length} quarantined\n`);
  return 0;
}

function parseContext(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new UsageError(`--context must be a JSON object, e.g. '{"timeZone":"Europe/Samara","studentId":"123"}'`);
}
