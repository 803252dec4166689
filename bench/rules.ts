// Regulation rules at scale: validateRecords over ~500k records of a cloned school (test/support/big-school.ts).
// Prints records, seconds and records per second; writes bench/results/rules.json.
//
//   npx tsx bench/rules.ts            (BENCH_SECTIONS, BENCH_LESSONS, BENCH_PUPILS override 50 × 300 × 30)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateRecords } from '../src/model/rules/index.js';
import { bigSchool } from '../test/support/big-school.js';

const sections = Number(process.env.BENCH_SECTIONS ?? 50);
const lessons = Number(process.env.BENCH_LESSONS ?? 300);
const pupils = Number(process.env.BENCH_PUPILS ?? 30);
const records = bigSchool(sections, lessons, pupils);
const t0 = performance.now();
const violations = validateRecords(records, { now: '2025-12-30T12:00:00Z' });
const seconds = (performance.now() - t0) / 1000;
const result = { records: records.length, violations: violations.length, seconds: Math.round(seconds * 100) / 100, recordsPerSec: Math.round(records.length / seconds) };
for (const [k, v] of Object.entries(result)) process.stdout.write(`${k.padEnd(14)} ${v}\n`);
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'rules.json'), `${JSON.stringify(result, null, 2)}\n`);
