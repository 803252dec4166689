// A roster sync reads the system of record first, then the school's other platforms. When a later platform fails,
// what the first run did (stored, and its summary) must still reach the operator: the CLI prints it and writes the
// runs file, the worker logs it. Before, the summary was dropped with the error.
import { describe, expect, it } from 'vitest';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { runJob } from '../../src/jobs/processors.js';
import type { RunSummary } from '../../src/sync/run-summary.js';
import { sorAndTarget } from '../support/sor-and-target.js';

const window = { from: '2025-09-01', to: '2025-09-07' };

describe('summaries of a run that fails part-way', () => {
  it('the system of record\'s summary is handed over as its run ends, before the second platform fails', async () => {
    const school = await sorAndTarget<RunningEmulator, RunningEmulator>({ sor: 'dnevnik', target: 'epos', school: generateSchool({ seed: 72, pupils: 12, weeks: 1 }), window });
    try {
      await school.target.close(); // the second platform is gone
      const got: RunSummary[] = [];
      await expect(runJob('roster-sync', { schoolId: 's1', window }, school.ctx, { onSummary: (s) => got.push(s) })).rejects.toThrow();
      expect(got.map((s) => [s.kind, s.instance])).toEqual([['roster-sync', 'sor']]);
      expect(got[0].unchanged).toBeGreaterThan(0);
    } finally {
      await school.close().catch(() => undefined);
    }
  }, 120_000);
});
