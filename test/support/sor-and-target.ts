// A school on two platforms, each an in-process emulator: the system of record holding the journal (instance `sor`)
// and a push target holding the roster and timetable only (instance `t`), with a job context over them (in-memory
// store) after one roster and one journal sync (or the roster sync alone). Tests that change one side and push or read the other start here.
import { parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext, type JobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { pendingReview } from '../../src/sync/review.js';
import { asursoInstance, dnevnikInstance, eljurInstance, eposInstance, gatewayYaml, type InstanceYaml } from './emulator-configs.js';

const INSTANCE_YAML = { asurso: asursoInstance, dnevnik: dnevnikInstance, epos: eposInstance, eljur: eljurInstance } as const;

export interface SorAndTarget<S, T> {
  sor: S;
  target: T;
  /** The second push target (`t2`, roster and timetable only), when asked for. */
  target2?: RunningEmulator;
  ctx: JobContext;
  close(): Promise<void>;
}

export async function sorAndTarget<S extends RunningEmulator, T extends RunningEmulator>(opts: {
  sor: keyof typeof INSTANCE_YAML;
  target: keyof typeof INSTANCE_YAML;
  school: SyntheticSchool;
  window: { from: string; to: string };
  /** Further keys of the school (gatewayYaml's `settings`). */
  settings?: string;
  /** Further top-level YAML, e.g. a `sync:` section. */
  extra?: string;
  /** The target holds the school's journal too (a platform the school kept in parallel), not roster and timetable only. */
  targetHoldsJournal?: boolean;
  /** A second push target (instance `t2`, roster and timetable only). */
  secondTarget?: keyof typeof INSTANCE_YAML;
  /** The target's own copy of the school, where it lists people otherwise (default: `school`). */
  targetSchool?: SyntheticSchool;
  /** Only the roster sync, no journal sync (identity tests). */
  rosterOnly?: boolean;
  /** The address the gateway reaches the target at instead of its own (a fault proxy started in front of it). */
  targetUrl?: (target: T) => Promise<string>;
}): Promise<SorAndTarget<S, T>> {
  const sor = await getPlatform(opts.sor).emulator.start({ dataset: opts.school }) as S;
  const target = await getPlatform(opts.target).emulator.start({ dataset: opts.targetSchool ?? opts.school, emptyJournal: !opts.targetHoldsJournal }) as T;
  const target2 = opts.secondTarget ? await getPlatform(opts.secondTarget).emulator.start({ dataset: opts.school, emptyJournal: true }) : undefined;
  const a = INSTANCE_YAML[opts.sor]('sor', sor, 500);
  const b = INSTANCE_YAML[opts.target]('t', opts.targetUrl ? { ...target, baseUrl: await opts.targetUrl(target) } : target, 500);
  const c = target2 && opts.secondTarget ? INSTANCE_YAML[opts.secondTarget]('t2', target2, 500) : undefined;
  const ctx = await schoolContext({ sor: { instance: 'sor', entry: a }, targets: [{ instance: 't', entry: b }, ...(c ? [{ instance: 't2', entry: c }] : [])], settings: opts.settings, extra: opts.extra });
  await runJob('roster-sync', { schoolId: 's1', window: opts.window }, ctx);
  if (!opts.rosterOnly) await runJob('journal-sync', { schoolId: 's1', window: opts.window }, ctx);
  return {
    sor, target, ctx, ...(target2 ? { target2 } : {}),
    close: async () => {
      await ctx.close();
      await sor.close();
      await target.close();
      await target2?.close();
    },
  };
}

/** An instance entry of the config and the instance name it was built with. */
export interface NamedInstance { instance: string; entry: InstanceYaml }

/**
 * A job context (in-memory store) over school `s1` on the given instances: `sor` its system of record, `targets` its
 * push targets, in that order. No sync is run.
 */
export async function schoolContext(opts: { sor: NamedInstance; targets?: NamedInstance[]; settings?: string; extra?: string }): Promise<JobContext> {
  const targets = opts.targets ?? [];
  return openJobContext(parseConfigText(gatewayYaml({
    instances: [opts.sor, ...targets].map((i) => i.entry), names: [],
    schools: [{
      id: 's1', sor: opts.sor.instance, targets: targets.map((t) => t.instance), ...(opts.settings ? { settings: opts.settings } : {}),
      platforms: [opts.sor, ...targets].map((i) => ({ instance: i.instance, schoolId: i.entry.schoolId })),
    }],
    ...(opts.extra ? { extra: opts.extra } : {}),
  }), 't.yaml'), createLogger({ level: 'silent' }));
}

/** The same context with its scheduled windows ending on `day` (`sync.windowEndsOn`): a night on that day. */
export const onDay = (ctx: JobContext, day: string): JobContext => ({ ...ctx, config: { ...ctx.config, sync: { ...ctx.config.sync, windowEndsOn: day } } });

/**
 * One night in the nightly order for school `s1`: every platform read (the system of record first), then the push.
 * `awaiting`: the target's records held as last pushed while a newer version waits for the push (no conflict).
 */
export async function nightlyRound(ctx: JobContext, window: { from: string; to: string }) {
  const reads = await runJob('journal-sync', { schoolId: 's1', window }, ctx);
  const awaiting = reads.reduce((n, s) => n + (s.awaitingPush ?? 0), 0);
  const [push] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
  return { reads, awaiting, push };
}

/** The conflicts waiting in the review queue. */
export const openConflicts = async (ctx: JobContext) => (await pendingReview(ctx.store)).filter((r) => r.kind === 'conflict');
