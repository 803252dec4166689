// `journal-gateway sync roster` as an operator runs it (issue 10: "every run writes a summary that an operator can
// attach to a ticket"): the summary is printed and written as JSON under <store.dataDir>/runs/, counts only.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as syncCommand } from '../../src/cli/commands/sync.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { captureStdout } from '../support/capture-stdout.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';

describe('sync CLI run summary', () => {
  let school: SyntheticSchool;
  let emu: RunningEmulator;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    school = generateSchool({ seed: 61, pupils: 12, weeks: 1 });
    emu = await getPlatform('dnevnik').emulator.start({ dataset: school });
    dir = mkdtempSync(path.join(tmpdir(), 'jg-sync-summary-'));
    const a = dnevnikInstance('dnevnik-a', emu, 500);
    config = path.join(dir, 'gateway.yaml');
    writeFileSync(config, gatewayYaml({
      instances: [a], names: [], store: `  dataDir: "${path.join(dir, 'data')}"`,
      schools: [{ id: 's1', sor: 'dnevnik-a', platforms: [{ instance: 'dnevnik-a', schoolId: a.schoolId }] }],
    }));
  }, 60_000);
  afterAll(async () => {
    await emu?.close();
  });

  it('prints the summary and writes it under <dataDir>/runs as JSON with no names in it', async () => {
    const { code, printed } = await captureStdout(() => syncCommand('roster-sync', { config, school: 's1' }));
    expect(code).toBe(0);
    expect(printed).toMatch(/created/);
    const runs = path.join(dir, 'data', 'runs');
    const files = readdirSync(runs);
    expect(files).toHaveLength(1);
    const text = readFileSync(path.join(runs, files[0]), 'utf8');
    const [summary] = JSON.parse(text) as RunSummary[];
    const persons = school.all('person');
    expect(summary).toMatchObject({ kind: 'roster-sync', instance: 'dnevnik-a', quarantined: 0 });
    expect(summary.created).toBeGreaterThanOrEqual(persons.length);
    for (const p of persons) expect(text).not.toContain(p.familyName);
  }, 120_000);
});
