// A platform that answers a request with 200 and something else than the answer — an HTML maintenance page, a JSON
// body cut off, a write's answer without the id of what it created — or refuses one write with 403. Before, a read
// mapped the page as one quarantined record (a class's marks missing while the nightly cursors moved past them) and
// a write counted as done what the platform never wrote, or dropped a mark for good on one 403. Now the HTTP layer
// retries such an answer and then fails the run (src/connectors/http/classify.ts), and a write without an id or
// refused for the account stays due (src/connectors/write-results.ts). The proxy: test/support/fault-proxy.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText } from '../../src/config/load.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { generateSchool } from '../../src/emulators/dataset/index.js';
import { startDnevnikEmulator, type DnevnikEmulator } from '../../src/emulators/dnevnik/index.js';
import type { RunningEmulator } from '../../src/emulators/kit/types.js';
import { createLogger } from '../../src/infra/logger.js';
import { openJobContext } from '../../src/jobs/job-context.js';
import { runJob } from '../../src/jobs/processors.js';
import { addDays } from '../../src/model/dates.js';
import { sweepCursorKey } from '../../src/sync/journal-nightly.js';
import { dnevnikInstance, eposInstance, gatewayYaml } from '../support/emulator-configs.js';
import { HTML_PAGE, startProxy, type Action, type SeenRequest } from '../support/fault-proxy.js';
import { PushFailedError } from '../../src/sync/push-failures.js';

const START = '2025-09-01';
const TODAY = addDays(START, 5 * 7 - 1);
const logger = createLogger({ level: 'silent' });

describe('a nightly read whose marks page comes back as something else', () => {
  let emu: DnevnikEmulator;
  beforeAll(async () => { emu = await startDnevnikEmulator({ seed: 11, pupils: 12, weeks: 5 }); }, 60_000);
  afterAll(async () => { await emu?.close(); });

  /** A scheduled night through the proxy; `broken(n)` says whether the n-th request for the chosen page is spoiled. */
  async function night(spoil: (status: number, body: string) => Action, broken: (n: number) => boolean) {
    let target: string | undefined;
    let asked = 0;
    const withMarks = new Set([...emu.world.marks.values()].filter((m) => m.date.slice(0, 10) <= '2025-09-14').map((m) => String(emu.world.lessons.get(m.lesson)?.group)));
    const proxy = await startProxy(emu.baseUrl, (r: SeenRequest): Action => {
      const m = /\/v2\/edu-groups\/(\d+)\/marks\/2025-09-01/.exec(r.path);
      if (!m || !withMarks.has(m[1]) || (target && target !== m[1])) return { kind: 'pass' };
      target = m[1];
      return broken(++asked) ? spoil(200, '') : { kind: 'pass' };
    });
    const inst = dnevnikInstance('dn', { ...emu, baseUrl: proxy.baseUrl });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jg-misanswer-')), 'gateway.yaml');
    writeFileSync(file, gatewayYaml({
      instances: [inst], names: ['dn'], extra: `sync: { windowEndsOn: "${TODAY}", journalSweepIntervalHours: 0 }`,
      schools: [{ id: 's1', sor: 'dn', platforms: [{ instance: 'dn', schoolId: inst.schoolId }], settings: 'journalWindowDays: 6, journalSweepDays: 14' }],
    }));
    const ctx = await openJobContext(loadConfigFile(file), logger);
    await runJob('roster-sync', { schoolId: 's1', window: { from: START, to: TODAY } }, ctx);
    const run = await runJob('journal-sync', { schoolId: 's1' }, ctx).then(() => 'ok', (e: Error) => e.message);
    const theirs = [...emu.world.marks.values()].filter((m) => String(emu.world.lessons.get(m.lesson)?.group) === target && m.date.slice(0, 10) <= '2025-09-14');
    const stored = (await ctx.store.resolve('dnevnik_ru', 'dn', 'mark', theirs.map((m) => String(m.id)))).size;
    const sweep = (await ctx.store.getCursor('dnevnik_ru', 'dn', sweepCursorKey('s1')))?.value ?? null;
    await ctx.close();
    await proxy.close();
    return { run, marks: theirs.length, stored, sweep };
  }
  const html: (s: number, b: string) => Action = () => ({ kind: 'respond', status: 200, body: HTML_PAGE });
  const cutOff: (s: number, b: string) => Action = () => ({ kind: 'rewrite', fn: (s, b) => ({ status: s, body: b.slice(0, Math.floor(b.length / 2)) }) });

  it('an HTML page or a cut-off body once: asked again, every mark of the page is stored', async () => {
    for (const spoil of [html, cutOff]) {
      const r = await night(spoil, (n) => n === 1);
      expect(r.marks).toBeGreaterThan(0);
      expect(r).toMatchObject({ run: 'ok', stored: r.marks });
    }
  }, 120_000);

  it('an HTML page every time: the night fails saying so, and its sweep cursor stays where it was', async () => {
    const r = await night(html, () => true);
    expect(r.run).toMatch(/answered 200 with an HTML page where JSON was asked for/);
    expect(r.sweep).toBeNull();
  }, 120_000);
});

describe('a push whose writes come back as something else', () => {
  const window = { from: '2025-09-01', to: '2025-09-07' };
  const school = generateSchool({ seed: 61, pupils: 12, weeks: 1 });
  const lessons = new Set(school.all('lesson').filter((l) => l.date >= window.from && l.date <= window.to).map((l) => l.id));
  const expected = school.all('mark').filter((m) => lessons.has(m.lessonId)).length;

  /** Дневник.ру (the system of record) → `platform`'s empty journal behind the proxy; two pushes. */
  async function twoPushes(platform: 'dnevnik' | 'epos', rule: (r: SeenRequest) => Action) {
    const source = await getPlatform('dnevnik').emulator.start({ dataset: school });
    const target = await getPlatform(platform).emulator.start({ dataset: school, emptyJournal: true }) as RunningEmulator & { world: { marks: Map<unknown, unknown> } };
    const proxy = await startProxy(target.baseUrl, rule);
    const a = dnevnikInstance('sor', source, 500);
    const behind = { ...target, baseUrl: proxy.baseUrl };
    const b = platform === 'dnevnik' ? dnevnikInstance('target', behind, 500) : eposInstance('target', behind, 500);
    const ctx = await openJobContext(parseConfigText(gatewayYaml({
      instances: [a, b], names: [],
      schools: [{ id: 's1', sor: 'sor', targets: ['target'], platforms: [{ instance: 'sor', schoolId: a.schoolId }, { instance: 'target', schoolId: b.schoolId }] }],
    }), 'test.yaml'), logger);
    try {
      await runJob('roster-sync', { schoolId: 's1', window }, ctx);
      await runJob('journal-sync', { schoolId: 's1', window }, ctx);
      // A push with failed writes fails as a run (retried as a job); its summary travels with the error.
      let firstFailed: PushFailedError | undefined;
      const [first] = await runJob('grade-push', { schoolId: 's1', window }, ctx).catch((e: unknown) => {
        if (!(e instanceof PushFailedError)) throw e;
        firstFailed = e;
        return e.summaries;
      });
      const [second] = await runJob('grade-push', { schoolId: 's1', window }, ctx);
      const linkedToNothing = (await ctx.store.resolve(platform === 'dnevnik' ? 'dnevnik_ru' : 'epos', 'target', 'mark', ['undefined'])).size;
      return { first: first.pushed!, second: second.pushed!, onTarget: target.world.marks.size, linkedToNothing, firstFailed };
    } finally {
      await ctx.close();
      await proxy.close();
      await source.close();
      await target.close();
    }
  }
  const markWrite = (r: SeenRequest) => r.method === 'POST' && (/\/works\/\d+\/mark$/.test(r.path) || /\/core\/api\/marks(\?|$)/.test(r.path));

  it('Дневник.ру: mark writes answered with an HTML page are not counted as written: asked again, every mark is there once', async () => {
    let spoiled = 0;
    const r = await twoPushes('dnevnik', (req) => (markWrite(req) && spoiled++ < 3 ? { kind: 'respond', status: 200, body: HTML_PAGE } : { kind: 'pass' }));
    expect(spoiled).toBeGreaterThan(3);
    expect(r.onTarget).toBe(expected); // 382 of 385 before: the three were counted as written
  }, 180_000);

  it('Дневник.ру: one write refused with 403 stays due, and the next push writes it', async () => {
    let n = 0;
    const r = await twoPushes('dnevnik', (req) => (markWrite(req) && n++ === 5
      ? { kind: 'respond', status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'accessDenied', description: 'Доступ запрещён' }) }
      : { kind: 'pass' }));
    expect([r.first.refused, r.first.failed]).toEqual([0, 1]);
    expect(r.firstFailed?.retryable).toBe(true);
    expect(r.firstFailed?.message).toMatch(/^grade-push s1: 1 write\(s\) failed on target \(1\); all of them may go through on a later push; first: /);
    expect(r.second.failed).toBe(0);
    expect(r.onTarget).toBe(expected);
  }, 180_000);

  it('ЭПОС: marks written but answered without their id are not linked to "undefined"; the next push finds them, no duplicate', async () => {
    let stripped = 0;
    const r = await twoPushes('epos', (req) => (markWrite(req) && stripped++ < 3
      ? { kind: 'rewrite', fn: (s, b) => { const { id: _id, ...rest } = JSON.parse(b) as Record<string, unknown>; return { status: s, body: JSON.stringify(rest), headers: { 'content-type': 'application/json' } }; } }
      : { kind: 'pass' }));
    // The three, and any second mark of their cells: it waits for its first (ЭПОС orders a cell by creation).
    expect(r.first.failed).toBeGreaterThanOrEqual(3);
    expect(r.linkedToNothing).toBe(0);
    expect(r.onTarget).toBe(expected);
  }, 180_000);
});
