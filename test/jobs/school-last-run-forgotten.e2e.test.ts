// Each school's last run is kept beside its queue past BullMQ's removal of jobs (school-last-runs.ts), for the status
// page's «Последний запуск по школам». A school taken out of the configuration (moved to another region's gateway,
// closed) kept its row there for good: nothing ever removed its entry. Reconciling the schedules with the
// configuration — a worker's start, `schedules --apply` — forgets the runs of schools the configuration no longer has.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Queue } from 'bullmq';
import { parseConfigText } from '../../src/config/load.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { producerConnection } from '../../src/jobs/connection.js';
import type { JobData, JobKind } from '../../src/jobs/job-types.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { reconcileSchedules } from '../../src/jobs/schedules.js';
import { recordSchoolRun, schoolLastRuns } from '../../src/jobs/school-last-runs.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';


describe('a school taken out of the configuration', () => {
  const conn = producerConnection(inject('redisUrl'));
  let queues: Map<JobKind, Queue<JobData>>;
  let emu: DnevnikEmulator;
  const config = (...schools: string[]) => {
    const inst = dnevnikInstance('dn', emu);
    return parseConfigText(gatewayYaml({
      instances: [inst], names: ['dn'], schools: schools.map((id) => ({ id, sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }] })),
    }), 't.yaml');
  };
  beforeAll(async () => {
    emu = await startDnevnikEmulator({ seed: 16, pupils: 4, weeks: 1 });
    queues = openQueues(conn, `jg-test-${randomUUID()}`);
    if (conn.status !== 'ready') await new Promise((ready) => conn.once('ready', ready)); // it queues no command before
  });
  afterAll(async () => {
    await emu?.close();
    for (const q of queues.values()) await q.obliterate({ force: true });
    await closeQueues(queues);
    conn.disconnect();
  });

  it('leaves the status page\'s last runs when the schedules are reconciled; the schools still configured keep theirs', async () => {
    const roster = queues.get('roster-sync')!;
    const journal = queues.get('journal-sync')!;
    const run = (schoolId: string, finishedOn: number) => ({ data: { schoolId }, finishedOn, attemptsMade: 1, returnvalue: [] });
    await recordSchoolRun(conn, roster, run('s-kept', 1_000), 'completed');
    await recordSchoolRun(conn, roster, run('s-gone', 2_000), 'failed');
    await recordSchoolRun(conn, journal, run('s-gone', 3_000), 'completed');
    expect([...(await schoolLastRuns(roster)).keys()].sort()).toEqual(['s-gone', 's-kept']);

    await reconcileSchedules(config('s-kept'), queues);
    expect([...(await schoolLastRuns(roster)).keys()]).toEqual(['s-kept']);
    expect((await schoolLastRuns(roster)).get('s-kept')).toMatchObject({ finishedOn: 1_000, outcome: 'completed' });
    expect((await schoolLastRuns(journal)).size).toBe(0);
  });
});
