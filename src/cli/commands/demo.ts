// `journal-gateway demo`: the quick start. Generates a synthetic school, loads it into the configured
// store (embedded PGlite by default), validates it against R-01…R-24 and prints what happened.
// Loading twice shows the idempotent path: the second load writes nothing.
import path from 'node:path';
import { loadConfigFile } from '../../config/load.js';
import { generateRecords } from '../../emulators/dataset/index.js';
import type { CanonicalRecord } from '../../model/index.js';
import { isBlocking, validateRecords, type Violation } from '../../model/rules/index.js';
import { openStore } from '../../store/index.js';
import { parseCount } from '../options.js';
import { Progress } from '../progress.js';
import { renderTable } from '../table.js';

const BATCH = 2_000;

export async function run(opts: { config: string; seed: string; pupils: string; weeks: string }): Promise<number> {
  const cfg = loadConfigFile(opts.config);
  const options = { seed: parseCount('--seed', opts.seed, 0), pupils: parseCount('--pupils', opts.pupils, 1), weeks: parseCount('--weeks', opts.weeks, 1) };
  const databaseUrl = cfg.store.databaseUrl || undefined;
  const store = await openStore({ databaseUrl: databaseUrl ?? null, dataDir: path.resolve(cfg.store.dataDir, 'store') });
  const out = process.stdout;
  try {
    out.write(`journal-gateway demo — ${cfg.region.name}\n`);
    out.write(`store: ${databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${path.resolve(cfg.store.dataDir)}`}\n\n`);

    const records: CanonicalRecord[] = [];
    const progress = new Progress('generate + load');
    const t0 = performance.now();
    const totals = { created: 0, updated: 0, unchanged: 0 };
    let batch: CanonicalRecord[] = [];
    const flush = async () => {
      const r = await store.upsertMany(batch, { runId: 'demo' });
      totals.created += r.created;
      totals.updated += r.updated;
      totals.unchanged += r.unchanged;
      batch = [];
    };
    for (const record of generateRecords(options)) {
      records.push(record);
      batch.push(record);
      if (batch.length >= BATCH) {
        await flush();
        progress.update(records.length);
      }
    }
    await flush();
    const loadSeconds = (performance.now() - t0) / 1000;
    progress.done(`${records.length} records in ${loadSeconds.toFixed(1)} s — created ${totals.created}, updated ${totals.updated}, unchanged ${totals.unchanged}`);

    const t1 = performance.now();
    const again = { created: 0, updated: 0, unchanged: 0 };
    for (let i = 0; i < records.length; i += BATCH) {
      const r = await store.upsertMany(records.slice(i, i + BATCH), { runId: 'demo-reload' });
      again.created += r.created;
      again.updated += r.updated;
      again.unchanged += r.unchanged;
    }
    out.write(`re-load of the same school: created ${again.created}, updated ${again.updated}, unchanged ${again.unchanged} `
      + `(${((performance.now() - t1) / 1000).toFixed(1)} s) — an unchanged record is never written again\n\n`);

    const counts = await store.countsByEntity();
    out.write(`${renderTable(['entity', 'records'], Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([e, n]) => [e, n]))}\n\n`);

    const violations: Violation[] = validateRecords(records, { now: demoNow(records) });
    const byRule = new Map<string, { severity: string; count: number }>();
    for (const v of violations) {
      const entry = byRule.get(v.ruleId) ?? { severity: v.severity, count: 0 };
      entry.count++;
      byRule.set(v.ruleId, entry);
    }
    if (byRule.size === 0) out.write('rules R-01…R-24: no violations\n');
    else {
      out.write('rules R-01…R-24:\n');
      out.write(`${renderTable(['rule', 'severity', 'violations'], [...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([r, e]) => [r, e.severity, e.count]))}\n`);
    }
    const blocking = violations.filter(isBlocking).length;
    out.write(`\n${records.length} records, ${violations.length} violations (${blocking} blocking)\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** The synthetic school lives in its own school year: judge unlock orders at its last lesson, not today. */
function demoNow(records: CanonicalRecord[]): string {
  let last = '1970-01-01';
  for (const r of records) if (r.entity === 'lesson' && r.date > last) last = r.date;
  return `${last}T12:00:00Z`;
}
