// Grade push through a worker process killed mid-push (issue 7): the system of record (a Дневник.ру
// instance holding the journal) pushes into a second instance holding the roster and timetable only. The
// worker is SIGKILLed after part of the marks reached the target; a new worker finishes the push. The
// target's journal is then read back and compared with the dataset mark by mark: nothing lost, nothing
// doubled — and a further push writes nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { openJobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { queueName } from '../../src/jobs/queues.js';
import { compareRecords } from '../../src/model/compare.js';
import { dnevnikInstance, gatewayYaml } from '../support/emulator-configs.js';
import { DNEVNIK_IGNORE_FIELDS, expectedRecords, readAndMap } from '../dnevnik/harness.js';
import { sharedStore, type SharedStore } from '../support/shared-store.js';
import { waitFor } from '../support/wait-for.js';

const redisUrl = () => inject('redisUrl');
const logger = createLogger({ level: 'silent', pretty: false });


describe('grade push survives a worker killed mid-push', () => {
  let school: SyntheticSchool;
  let source: DnevnikEmulator;
  let target: DnevnikEmulator;
  let file: string;
  let window: { from: string; to: string };
  let store: SharedStore | undefined;
  const prefix = `jg-test-${randomUUID()}`;

  beforeAll(async () => {
    school = generateSchool({ seed: 21, pupils: 30, weeks: 1 });
    source = await startDnevnikEmulator({ dataset: school });
    // Each write to the target takes a while, so the kill lands in the middle of the push.
    target = await startDnevnikEmulator({ dataset: school, emptyJournal: true, faults: { latencyMs: 15 } });
    const dates = school.all('lesson').map((l) => l.date).sort();
    window = { from: dates[0], to: dates.at(-1)! };
    const dir = mkdtempSync(path.join(tmpdir(), 'jg-push-crash-'));
    // The worker processes and this test share one store.
    store = sharedStore(inject('postgresUrl'), dir, 'jg_crash');
    const a = dnevnikInstance('dn-sor', source, 500);
    const b = dnevnikInstance('dn-target', target, 500);
    file = path.join(dir, 'gateway.yaml');
    writeFileSync(file, gatewayYaml({
      instances: [a, b], names: ['dn-sor', 'dn-target'], store: store.yaml,
      schools: [{ id: 's1', sor: 'dn-sor', targets: ['dn-target'], platforms: [{ instance: 'dn-sor', schoolId: a.schoolId }, { instance: 'dn-target', schoolId: b.schoolId }] }],
    }));
    // Roster from both, the journal from the system of record, the target's timetable (its lesson ids).
    const ctx = await openJobContext(loadConfigFile(file), logger);
    try {
      await runJob('roster-sync', { schoolId: 's1', window }, ctx);
      await runJob('journal-sync', { schoolId: 's1', window }, ctx);
      await runJob('journal-sync', { schoolId: 's1', window, instance: 'dn-target' }, ctx);
    } finally {
      await ctx.close();
    }
  }, 120_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
    await store?.drop();
  });

  const startWorkerProcess = (): { proc: ChildProcess; stderr: () => string } => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--config', file, '--prefix', prefix, '--no-schedules'], {
      env: { ...process.env, REDIS_URL: redisUrl(), LOG_LEVEL: 'warn', LOG_PRETTY: '0' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    proc.stderr!.on('data', (d) => { err = (err + String(d)).slice(-4000); });
    return { proc, stderr: () => err };
  };
  const exited = (p: ChildProcess) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)));

  it('SIGKILL after part of the marks reached the target; a restarted worker completes the push with no lost and no duplicate mark', async () => {
    const marks = school.all('mark').filter((m) => { const d = school.get('lesson', m.lessonId)?.date; return d !== undefined && d >= window.from && d <= window.to; });
    expect(marks.length).toBeGreaterThan(100);
    const conn = producerConnection(redisUrl());
    const queue = new Queue(queueName('grade-push'), { connection: conn, prefix });
    const first = startWorkerProcess();
    let second: ReturnType<typeof startWorkerProcess> | undefined;
    try {
      await queue.add('grade-push', { schoolId: 's1', window });
      await waitFor('a third of the marks on the target', () => target.world.marks.size >= marks.length / 3, 90_000)
        .catch((e: Error) => { throw new Error(`${e.message}; worker stderr: ${first.stderr()}`); });
      first.proc.kill('SIGKILL');
      await exited(first.proc);
      const atKill = target.world.marks.size;
      expect(atKill).toBeLessThan(marks.length); // killed in the middle, not after the end

      // The next scheduled push (here: added by hand) runs on a fresh worker; the killed job is stalled and
      // runs again too once its lock expires — both must leave the same journal behind.
      second = startWorkerProcess();
      const again = await queue.add('grade-push', { schoolId: 's1', window });
      await waitFor('the push after the restart', async () => {
        const state = await queue.getJobState(again.id!);
        if (state === 'failed') throw new Error(`push failed: ${(await queue.getJob(again.id!))?.failedReason}`);
        return state === 'completed';
      }, 120_000).catch((e: Error) => { throw new Error(`${e.message}; worker stderr: ${second?.stderr()}`); });
      const [summary] = (await queue.getJob(again.id!))!.returnvalue as { pushed: { applied: number; failed: number; refused: number } }[];
      expect(summary.pushed.failed).toBe(0);
      expect(summary.pushed.refused).toBe(0);
      expect(summary.pushed.applied).toBeGreaterThan(0);

      // Mark by mark: every mark of the dataset is on the target once, with its value.
      expect(target.world.marks.size).toBe(marks.length);
      const read = await readAndMap(target, window.from, window.to);
      const report = compareRecords(expectedRecords(school.records, window.from, window.to), read.records, { entities: ['mark', 'attendance_record'], ignoreFields: DNEVNIK_IGNORE_FIELDS });
      expect(report.differences.slice(0, 10)).toEqual([]);
      expect(report.compared.mark.equal).toBe(marks.length);

      // One more push changes nothing on the target.
      const size = { marks: target.world.marks.size, works: target.world.works.size, log: target.world.logEntries.size };
      const third = await queue.add('grade-push', { schoolId: 's1', window });
      await waitFor('a third push', async () => (await queue.getJobState(third.id!)) === 'completed', 60_000);
      expect({ marks: target.world.marks.size, works: target.world.works.size, log: target.world.logEntries.size }).toEqual(size);
    } finally {
      first.proc.kill('SIGKILL');
      second?.proc.kill('SIGKILL');
      await exited(first.proc);
      if (second) await exited(second.proc);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      conn.disconnect();
    }
  }, 300_000);
});
