// The nightly-backup job on BullMQ against real Redis: the per-school schedule from the config, a run
// that leaves two verified copies and an archive_snapshot, and a missing key failing once, not five times.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listSnapshots } from '../../src/backup/catalog.js';
import { verifyBackup } from '../../src/backup/verify.js';
import { Ed25519Verifier } from '../../src/backup/signer.js';
import { parseConfigText } from '../../src/config/load.js';
import { createLogger } from '../../src/infra/logger.js';
import { producerConnection } from '../../src/jobs/connection.js';
import { closeQueues, openQueues } from '../../src/jobs/queues.js';
import { listSchedules, reconcileSchedules } from '../../src/jobs/schedules.js';
import { startWorker } from '../../src/jobs/worker.js';
import { openStore } from '../../src/store/index.js';
import { schoolYearOfDate } from '../../src/model/dates.js';
import { yearlyArchiveJob } from '../../src/backup/yearly-job.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { soleSchool } from '../../src/backup/run-backup.js';
import { classJournalFile, filledStore, keyPair, tempDir, writeKeyFiles } from './fixtures.js';
import { waitFor } from '../support/wait-for.js';

const logger = createLogger({ level: 'silent', pretty: false });


describe('nightly-backup job (BullMQ, real Redis)', () => {
  let root: string;
  let keys: { privateFile: string; publicFile: string };
  const yaml = (withKey: boolean, allowOneDevice = true) => `region: { id: r1, name: Регион }
store: { dataDir: ${JSON.stringify(path.join(root, 'data'))} }
platforms:
  - { instance: asurso-a, platform: asurso, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: teacher, password: test } }
schools:
  - id: school-1
    name: Школа
    timeZone: Europe/Samara
    systemOfRecord: asurso-a
    platforms: [{ instance: asurso-a, schoolId: "1" }]
${withKey ? '    schedules: { nightlyBackup: "0 2 * * *", yearlyArchive: "0 3 20-30 6 *" }\n' : ''}backup:
  allowOneDevice: ${allowOneDevice} # both copies in one temporary directory
  destinations:
    - { name: a, medium: disk-a, room: "серверная 101", path: ${JSON.stringify(path.join(root, 'a'))} }
    - { name: b, medium: nas, room: "архив 204", path: ${JSON.stringify(path.join(root, 'b'))} }
${withKey ? `  signingKeyFile: ${JSON.stringify(keys.privateFile)}\n  verifyKeyFile: ${JSON.stringify(keys.publicFile)}\n` : ''}`;
  beforeAll(async () => {
    root = await tempDir();
    for (const d of ['a', 'b']) await mkdir(path.join(root, d)); // as the operator does once on each medium
    keys = await writeKeyFiles(root, keyPair());
    const store = await filledStore({ dataDir: path.join(root, 'data', 'store') });
    // As after a roster sync: the configured school's platform id resolves to its organization (the job files the
    // snapshot under it, never under whichever school the store happens to hold).
    await store.link([{ entity: 'organization', canonicalId: await soleSchool(store), system: getPlatform('asurso').declaration.system, instance: 'asurso-a', sourceId: '1', sourceIdKind: 'school' }], { runId: 'sync-1' });
    await store.close();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('R-35: the schedule is per school in its time zone; a run leaves two verified copies and an archive_snapshot', async () => {
    const prefix = `jg-test-${randomUUID()}`;
    const cfg = parseConfigText(yaml(true), 'backup.yaml');
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    try {
      await reconcileSchedules(cfg, queues);
      expect(await listSchedules(queues)).toEqual([
        expect.objectContaining({ id: 'nightly-backup__school-1', kind: 'nightly-backup', schoolId: 'school-1', pattern: '0 2 * * *', tz: 'Europe/Samara' }),
        expect.objectContaining({ id: 'yearly-archive__school-1', kind: 'yearly-archive', schoolId: 'school-1', pattern: '0 3 20-30 6 *', tz: 'Europe/Samara' }),
      ]);
      const worker = await startWorker(cfg, logger, { redisUrl: inject('redisUrl'), prefix });
      let summary: { snapshotId: string; copies: { location: string }[]; records: number };
      try {
        const job = await queues.get('nightly-backup')!.add('nightly-backup', { schoolId: 'school-1' }, { jobId: `nb-${randomUUID()}` });
        summary = await waitFor('the backup job to finish', async () => {
          const state = await job.getState();
          if (state === 'failed') throw new Error(`job failed: ${(await queues.get('nightly-backup')!.getJob(job.id!))?.failedReason}`);
          return state === 'completed' ? (await queues.get('nightly-backup')!.getJob(job.id!))!.returnvalue : undefined;
        });
      } finally {
        await worker.close();
      }
      expect(summary.copies).toHaveLength(2);
      expect(summary.records).toBeGreaterThan(1000);
      const verifier = await Ed25519Verifier.fromFile(keys.publicFile);
      for (const c of summary.copies) {
        const v = await verifyBackup(c.location, verifier);
        expect(v.problems).toEqual([]);
        expect(v.manifest!.source).toMatchObject({ scope: 'school', schoolId: 'school-1', region: 'r1' });
      }
      const store = await openStore({ databaseUrl: null, dataDir: path.join(root, 'data', 'store') });
      try {
        expect((await listSnapshots(store)).map((s) => s.id)).toEqual([summary.snapshotId]);
      } finally {
        await store.close();
      }
    } finally {
      await closeQueues(queues);
      conn.disconnect();
    }
  }, 180_000);

  it('R-31: the yearly-archive job archives the school year it runs in, and a second run adds nothing', async () => {
    const cfg = parseConfigText(yaml(true), 'backup.yaml');
    const store = await openStore({ databaseUrl: null, dataDir: path.join(root, 'data', 'store') });
    try {
      const june = new Date('2026-06-25T10:00:00Z');
      expect(await yearlyArchiveJob(cfg, store, 'school-1', 'yearly-1', june)).toMatchObject({ schoolYear: 2026, classJournals: 11, summarySheet: true, alreadyArchived: 0 });
      expect(await yearlyArchiveJob(cfg, store, 'school-1', 'yearly-2', june)).toMatchObject({ classJournals: 0, summarySheet: false, alreadyArchived: 11 });
      // 31 August in Samara is still 2025/2026; 1 September starts 2026/2027, which has no sessions yet.
      expect(schoolYearOfDate('2026-08-31')).toBe(2026);
      await expect(yearlyArchiveJob(cfg, store, 'school-1', 'yearly-3', new Date('2026-09-01T08:00:00Z'))).rejects.toThrow(/no academic sessions for school year 2027/);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('R-31: backup.csvSeparator ";" gives the job semicolon CSV; the change makes every document again, and the comma-separated snapshots stay verifiable', async () => {
    const comma = parseConfigText(yaml(true), 'backup.yaml');
    const semicolon = parseConfigText(yaml(true).replace('\nbackup:\n', '\nbackup:\n  csvSeparator: ";"\n'), 'backup.yaml');
    expect([comma.backup.csvSeparator, semicolon.backup.csvSeparator]).toEqual([',', ';']);
    const store = await openStore({ databaseUrl: null, dataDir: path.join(root, 'data', 'store') });
    try {
      const june = new Date('2026-06-25T10:00:00Z');
      await yearlyArchiveJob(comma, store, 'school-1', 'yearly-comma', june); // made here, or by the test before
      const before = (await listSnapshots(store)).filter((s) => s.kind !== 'nightly_backup');
      expect(before).toHaveLength(12);
      const r = await yearlyArchiveJob(semicolon, store, 'school-1', 'yearly-semicolon', june);
      // Every document's bytes changed (the separator), so each is made again, superseding the comma one.
      expect(r).toMatchObject({ classJournals: 11, summarySheet: true, alreadyArchived: 0, amended: 12 });
      const made = (await listSnapshots(store)).filter((s) => s.kind !== 'nightly_backup' && !before.some((b) => b.id === s.id));
      expect(made.map((s) => s.ext?.supersedes).sort()).toEqual(before.map((s) => s.id).sort());
      const head = async (s: (typeof made)[number]) => (await readFile(s.kind === 'summary_sheet' ? path.join(s.copies[0].location!, 'summary-sheet.csv') : await classJournalFile(s.copies[0].location!, 'csv'), 'utf8')).split('\r\n')[0];
      for (const s of made) expect(await head(s)).toMatch(/^\uFEFFclass;(pupil_id|subject);/);
      for (const s of before) expect(await head(s)).toMatch(/^\uFEFFclass,(pupil_id|subject),/);
      // The earlier snapshots keep their own bytes: every copy of old and new verifies.
      const verifier = await Ed25519Verifier.fromFile(keys.publicFile);
      for (const s of [...before, ...made]) for (const c of s.copies) expect((await verifyBackup(c.location!, verifier)).problems).toEqual([]);
      // Same separator again: nothing changed, nothing written.
      expect(await yearlyArchiveJob(semicolon, store, 'school-1', 'yearly-semicolon-2', june)).toMatchObject({ classJournals: 0, summarySheet: false, amended: 0 });
    } finally {
      await store.close();
    }
  }, 240_000);

  it('config check refuses a backup or archive schedule without a signing key: every run would fail', () => {
    const scheduled = yaml(false).replace('    platforms: [{ instance: asurso-a, schoolId: "1" }]\n', '    platforms: [{ instance: asurso-a, schoolId: "1" }]\n    schedules: { nightlyBackup: "0 2 * * *", yearlyArchive: "0 3 20-30 6 *", gradePush: "0 4 * * *" }\n');
    expect(() => parseConfigText(scheduled, 'backup.yaml')).toThrow(new RegExp([
      'schools\\[0\\]\\.schedules\\.nightlyBackup: a scheduled backup needs backup\\.signingKeyFile \\(docs/backup\\.md\\): every run would fail',
      'schools\\[0\\]\\.schedules\\.yearlyArchive: a scheduled archive needs backup\\.signingKeyFile',
      'schools\\[0\\]\\.schedules\\.gradePush: a scheduled grade push needs pushTargets',
    ].join('[^]*')));
  });

  it.each([
    // A key removed from the configuration after the schedules were made (a job still queued), or a `backup run`.
    ['a missing signing key', () => yaml(false), /backup\.signingKeyFile is not set/],
    ['destinations on one device (an unmounted share)', () => yaml(true, false), /^R-33: backup destinations a \(.*\) and b \(.*\) are on one device/],
    ['a destination whose directory is missing (a medium not mounted)', () => yaml(true).replace(JSON.stringify(path.join(root, 'b')), JSON.stringify(path.join(root, 'nas-not-mounted'))),
      /^backup destination b \(medium nas, архив 204\): its directory .*nas-not-mounted does not exist/],
  ])('%s fails the job once, naming the setting (retrying cannot help)', async (_what, text, reason) => {
    const prefix = `jg-test-${randomUUID()}`;
    const cfg = parseConfigText(text(), 'backup.yaml');
    const conn = producerConnection(inject('redisUrl'));
    const queues = openQueues(conn, prefix);
    const worker = await startWorker(cfg, logger, { redisUrl: inject('redisUrl'), prefix });
    try {
      const job = await queues.get('nightly-backup')!.add('nightly-backup', { schoolId: 'school-1' }, { jobId: `nb-${randomUUID()}`, attempts: 5 });
      const failed = await waitFor('the job to fail', async () => {
        const j = await queues.get('nightly-backup')!.getJob(job.id!);
        return j && (await j.getState()) === 'failed' ? j : undefined;
      });
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(reason);
    } finally {
      await worker.close();
      await closeQueues(queues);
      conn.disconnect();
    }
  }, 120_000);
});
