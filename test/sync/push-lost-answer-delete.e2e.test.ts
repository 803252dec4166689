// A mark ЭПОС wrote although its answer never reached the gateway (the connection dropped after the platform applied
// the POST), then deleted by the teacher at the system of record, must not stay on the target when the push that meets
// the deletion runs before a read of the target has linked the mark (a push beside the journal-sync job — pushes do
// not wait for syncs — or after `sync journal --instance sor`). Before, buildOps (push-ops.ts) took the deletion of a
// record the crosswalk held no target id of as "nothing to do", although the ledger held that record's earlier write
// as `failed` (it may have reached the target); the cursor then moved past the deletion, and no later read or push
// sent it. Now such a delete is sent, and the ЭПОС writer finds the mark by its cell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import type { DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { EMark } from '../../src/emulators/epos/world.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { PushFailedError } from '../../src/sync/push-failures.js';
import { dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';
import { startProxy, type Action, type SeenRequest } from '../support/fault-proxy.js';

const logger = createLogger({ level: 'silent' });
const window = { from: '2025-09-01', to: '2025-09-07' };
const school = generateSchool({ seed: 61, pupils: 12, weeks: 1 });
type Ep = RunningEmulator & { world: { marks: Map<number, EMark>; sourceOf: Map<string, string> } };

describe('grade push: a write whose answer was lost, then deleted at the system of record', () => {
  let sor: DnevnikEmulator;
  let target: Ep;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let ctx: JobContext;
  // A pupil's only mark on a lesson of the window.
  const lessons = new Set(school.all('lesson').filter((l) => l.date >= window.from && l.date <= window.to).map((l) => l.id));
  const marks = school.all('mark').filter((m) => lessons.has(m.lessonId));
  const chosen = marks.find((m) => marks.filter((x) => x.studentId === m.studentId && x.lessonId === m.lessonId).length === 1)!;
  let dropped = 0;

  beforeAll(async () => {
    sor = await getPlatform('dnevnik').emulator.start({ dataset: school }) as DnevnikEmulator;
    target = await getPlatform('epos').emulator.start({ dataset: school, emptyJournal: true }) as Ep;
    const [eStudent, eLesson] = [target.world.sourceOf.get(chosen.studentId), target.world.sourceOf.get(chosen.lessonId)];
    proxy = await startProxy(target.baseUrl, (r: SeenRequest): Action => {
      if (r.method !== 'POST' || !/\/core\/api\/marks(\?|$)/.test(r.path) || dropped > 0) return { kind: 'pass' };
      const b = JSON.parse(r.body) as { student_profile_id?: unknown; schedule_lesson_id?: unknown };
      if (String(b.student_profile_id) !== eStudent || String(b.schedule_lesson_id) !== eLesson) return { kind: 'pass' };
      dropped++;
      return { kind: 'applied-then-reset' }; // ЭПОС wrote the mark; the answer never comes back
    });
    const a = dnevnikInstance('sor', sor, 500);
    const b = eposInstance('t', { ...target, baseUrl: proxy.baseUrl }, 500);
    ctx = await openJobContext(parseConfigText(gatewayYaml({
      instances: [a, b], names: [],
      schools: [{ id: 's1', sor: 'sor', targets: ['t'], platforms: [{ instance: 'sor', schoolId: a.schoolId }, { instance: 't', schoolId: b.schoolId }] }],
    }), 'test.yaml'), logger);
    await runJob('roster-sync', { schoolId: 's1', window }, ctx);
    await runJob('journal-sync', { schoolId: 's1', window }, ctx);
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
    await proxy?.close();
    await sor?.close();
    await target?.close();
  });

  it('the mark the school deleted does not stay on the target', async () => {
    const [eStudent, eLesson] = [Number(target.world.sourceOf.get(chosen.studentId)), Number(target.world.sourceOf.get(chosen.lessonId))];
    const onTarget = () => [...target.world.marks.values()].filter((m) => m.student === eStudent && m.lesson === eLesson).length;
    // The push: the platform writes the mark, its answer is lost (the push fails, retryable).
    await runJob('grade-push', { schoolId: 's1', window }, ctx).catch((e: unknown) => {
      if (!(e instanceof PushFailedError)) throw e;
    });
    expect(dropped).toBe(1);
    expect(onTarget()).toBe(1);
    // The teacher deletes the mark at the system of record.
    const dnPerson = sor.world.persons.get(chosen.studentId)!.id;
    const dnLesson = BigInt(sor.world.sourceOf.get(chosen.lessonId)!);
    const dnMark = [...sor.world.marks.values()].find((m) => m.person === dnPerson && m.lesson === dnLesson)!;
    const canonical = (await ctx.store.resolve('dnevnik_ru', 'sor', 'mark', [String(dnMark.id)])).get(String(dnMark.id))!;
    expect(canonical).toBeDefined();
    sor.world.marks.delete(dnMark.id);
    // The system of record is read (the journal-sync job's first platform), and a push runs before the target's read.
    await runJob('journal-sync', { schoolId: 's1', window, instance: 'sor' }, ctx);
    expect((await ctx.store.get(canonical))?.status).toBe('deleted');
    await runJob('grade-push', { schoolId: 's1', window }, ctx);
    // Then whole nights: the journal-sync job (system of record, then the target), then the push.
    for (let n = 0; n < 2; n++) {
      await runJob('journal-sync', { schoolId: 's1', window }, ctx);
      await runJob('grade-push', { schoolId: 's1', window }, ctx);
    }
    // The school's journal has no such mark; the target must not keep it.
    expect(onTarget()).toBe(0);
  }, 180_000);
});
