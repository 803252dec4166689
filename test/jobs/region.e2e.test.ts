// A small region on schedules (issue 7): two schools, three platforms, one worker, real Redis.
//   school A: Дневник.ру holds the journal (system of record), ЭПОС.Школа holds roster and timetable
//             only and is a push target;
//   school B: АСУ РСО holds the journal; nothing is pushed.
// The schedules from the config run roster sync, journal sync and grade push every few seconds; the
// test waits until the push has delivered, then checks the counts in the store and in the target:
// every person once (the two platforms' copies matched), every mark of the window on the target once.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getPlatform } from '../../src/connectors/registry.js';
import { parseConfigText } from '../../src/config/load.js';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { JOB_KINDS } from '../../src/jobs/job-types.js';
import { closeQueues, openQueues, queueName } from '../../src/jobs/queues.js';
import { reconcileSchedules } from '../../src/jobs/schedules.js';
import { startWorker, type RunningWorker } from '../../src/jobs/worker.js';
import { resetInstanceGates } from '../../src/connectors/http/rate-limiter.js';
import type { CanonicalRecord } from '../../src/model/records.js';
import { dropSchema } from '../../src/store/open-store.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { asursoInstance, dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';
import { waitFor } from '../support/wait-for.js';

const redisUrl = () => inject('redisUrl');
const logger = createLogger({ level: 'silent', pretty: false });
// The journal window every scheduled run reads ends on this day (sync.windowEndsOn): the datasets' first week.
const WINDOW_ENDS = '2025-09-07';
const WINDOW_DAYS = 7;


const inWindow = (school: SyntheticSchool) => {
  const from = '2025-08-31';
  const lessons = new Set(school.all('lesson').filter((l) => l.date >= from && l.date <= WINDOW_ENDS).map((l) => l.id));
  return {
    marks: school.all('mark').filter((m) => lessons.has(m.lessonId)),
    absences: school.all('attendance_record').filter((a) => lessons.has(a.lessonId)),
  };
};

describe('a region on schedules: two schools, three platforms', () => {
  let schoolA: SyntheticSchool;
  let schoolB: SyntheticSchool;
  const emus: RunningEmulator[] = [];
  let ctx: JobContext;
  let worker: RunningWorker | undefined;
  let schema: string | undefined;
  const prefix = `jg-test-${randomUUID()}`;

  beforeAll(async () => {
    schoolA = generateSchool({ seed: 41, pupils: 24, weeks: 1 });
    schoolB = generateSchool({ seed: 42, pupils: 20, weeks: 1 });
    const dnA = await getPlatform('dnevnik').emulator.start({ dataset: schoolA });
    const eposA = await getPlatform('epos').emulator.start({ dataset: schoolA, emptyJournal: true });
    const asB = await getPlatform('asurso').emulator.start({ dataset: schoolB });
    emus.push(dnA, eposA, asB);
    const a1 = dnevnikInstance('dnevnik-a', dnA, 400);
    const a2 = eposInstance('epos-a', eposA, 400);
    const b1 = asursoInstance('asurso-b', asB, 400);
    const pg = inject('postgresUrl');
    schema = pg ? `jg_region_${randomUUID().replace(/-/g, '').slice(0, 12)}` : undefined;
    const every = '"*/3 * * * * *"';
    const yaml = gatewayYaml({
      instances: [a1, a2, b1], names: [], store: pg ? `  databaseUrl: "${pg}"\n  schema: ${schema}` : undefined,
      schools: [
        { id: 'school-a', sor: 'dnevnik-a', targets: ['epos-a'], platforms: [{ instance: 'dnevnik-a', schoolId: a1.schoolId }, { instance: 'epos-a', schoolId: a2.schoolId }],
          schedules: `{ rosterSync: ${every}, journalSync: ${every}, gradePush: ${every} }\n    journalWindowDays: ${WINDOW_DAYS}` },
        { id: 'school-b', sor: 'asurso-b', platforms: [{ instance: 'asurso-b', schoolId: b1.schoolId }],
          schedules: `{ rosterSync: ${every}, journalSync: ${every} }\n    journalWindowDays: ${WINDOW_DAYS}` },
      ],
      extra: `sync:\n  windowEndsOn: "${WINDOW_ENDS}"`,
    });
    const config = parseConfigText(yaml, 'region.yaml');
    // Without PostgreSQL, the worker and this test share one embedded store in memory (same process).
    ctx = await openJobContext(config, logger);
    const conn = producerConnection(redisUrl());
    const queues = openQueues(conn, prefix);
    await reconcileSchedules(config, queues);
    await closeQueues(queues);
    conn.disconnect();
    resetInstanceGates();
    worker = await startWorker(config, logger, { redisUrl: redisUrl(), prefix, concurrency: 1, store: pg ? undefined : ctx.store });
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    const conn = producerConnection(redisUrl());
    for (const kind of JOB_KINDS) {
      const q = new Queue(queueName(kind), { connection: conn, prefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    conn.disconnect();
    await ctx?.close();
    for (const e of emus) await e.close();
    const pg = inject('postgresUrl');
    if (pg && schema) await dropSchema(pg, schema);
  });

  it('scheduled runs bring both schools in and push school A\'s marks and absences into ЭПОС once', async () => {
    const eposA = emus[1] as RunningEmulator & { world: { marks: Map<unknown, unknown> } };
    const wantedA = inWindow(schoolA);
    expect(wantedA.marks.length).toBeGreaterThan(50);
    await waitFor('every mark of school A on ЭПОС', async () => eposA.world.marks.size >= wantedA.marks.length && true, 240_000).catch(async (e: Error) => {
      // Say where it stuck: marks on the target and each queue's jobs by state, with failure reasons.
      const conn = producerConnection(redisUrl());
      const states: string[] = [];
      for (const kind of JOB_KINDS) {
        const q = new Queue(queueName(kind), { connection: conn, prefix });
        const failed = (await q.getFailed(0, 2)).map((j) => j.failedReason);
        states.push(`${kind}: ${JSON.stringify(await q.getJobCounts())}${failed.length ? ` failed: ${failed.join(' | ')}` : ''}`);
        await q.close();
      }
      conn.disconnect();
      throw new Error(`${e.message}: ${eposA.world.marks.size} of ${wantedA.marks.length} marks; ${states.join('; ')}`);
    });

    // Let a few more cycles run: repeated schedules must not add anything anywhere.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(eposA.world.marks.size).toBe(wantedA.marks.length);

    const byOrg = async (org: string) => {
      const out: CanonicalRecord[] = [];
      for await (const r of ctx.store.iterate('role_assignment', { status: 'active' })) if (r.entity === 'role_assignment' && r.organizationId === org) out.push(r);
      return out;
    };
    // School A: the Дневник.ру and ЭПОС copies of each person are one canonical person.
    const rolesA = await byOrg(schoolCanonicalId('school-a'));
    const peopleA = new Set(rolesA.map((r) => (r as { personId: string }).personId));
    expect(peopleA.size).toBe(schoolA.all('person').length);
    // School B: every person АСУ РСО's teacher routes list (pupils, subject teachers).
    const rolesB = await byOrg(schoolCanonicalId('school-b'));
    const listedB = new Set(schoolB.all('role_assignment').filter((r) => r.role === 'student' || r.role === 'subject_teacher').map((r) => r.personId));
    expect(new Set(rolesB.map((r) => (r as { personId: string }).personId)).size).toBe(listedB.size);

    // The journals of the window, per school, in the store.
    const counts = await ctx.store.countsByEntity();
    const wantedB = inWindow(schoolB);
    expect(counts.mark).toBe(wantedA.marks.length + wantedB.marks.length);
    expect(counts.attendance_record).toBe(wantedA.absences.length + wantedB.absences.length);
    expect(counts.person).toBe(schoolA.all('person').length + listedB.size);
  }, 300_000);
});
