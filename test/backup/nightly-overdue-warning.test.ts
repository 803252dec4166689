// when a school has more copies due for a re-check than the nightly gets through (REVERIFY_PER_NIGHT), the
// nightly-backup job's log warns, naming the school, how many copies are over a year unchecked and since when — the
// operator's one place to hear of it between visits to /status. Before, the night logged only what it checked. A night
// catches up on overdue copies by itself up to a bound (reverify.ts); the bound is set to none here to leave some over.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REVERIFY_PER_NIGHT } from '../../src/backup/reverify.js';
import { runBackup, soleSchool } from '../../src/backup/run-backup.js';
import { getPlatform } from '../../src/connectors/registry.js';
import { parseConfigText } from '../../src/config/load.js';
import type { Logger } from 'pino';
import { runArchiveJob } from '../../src/jobs/processors.js';
import type { CanonicalStore } from '../../src/store/index.js';
import { filledStore, keyPair, tempDir, writeKeyFiles } from './fixtures.js';

describe('the nightly-backup job and copies overdue for a re-check', () => {
  let root: string;
  let store: CanonicalStore;
  const keys = keyPair();
  beforeAll(async () => {
    root = await tempDir();
    store = await filledStore();
    await store.link([{ entity: 'organization', canonicalId: await soleSchool(store), system: getPlatform('asurso').declaration.system, instance: 'asurso-a', sourceId: '1', sourceIdKind: 'school' }], { runId: 'sync-1' });
    const destinations = [{ name: 'a', medium: 'disk-a', room: 'серверная 101', path: path.join(root, 'a') }, { name: 'b', medium: 'nas', room: 'архив 204', path: path.join(root, 'b') }];
    for (const d of destinations) await mkdir(d.path);
    // One more snapshot than a night re-checks (prune --expired never ran); the job runs 400 days on (below).
    for (let day = 1; day <= REVERIFY_PER_NIGHT + 1; day++) {
      await runBackup(store, { destinations, signer: keys.signer, verifier: keys.verifier, nightlyRetentionDays: 30, runId: `b-${day}`, now: () => new Date(Date.now() - (20 - day) * 86_400_000) });
    }
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('warns naming the school, the overdue copies and the oldest last check', async () => {
    const files = await writeKeyFiles(root, keys);
    const cfg = parseConfigText(`region: { id: r1, name: Регион }
store: { dataDir: ${JSON.stringify(path.join(root, 'data'))} }
platforms:
  - { instance: asurso-a, platform: asurso, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: teacher, password: test } }
schools:
  - { id: school-1, name: Школа, timeZone: Europe/Samara, systemOfRecord: asurso-a, platforms: [{ instance: asurso-a, schoolId: "1" }] }
backup:
  allowOneDevice: true # both media in one temporary directory
  reverifyCatchUpPerNight: 0 # the usual five a night, as a night that falls behind its bound (reverify-catch-up.test.ts)
  destinations:
    - { name: a, medium: disk-a, room: "серверная 101", path: ${JSON.stringify(path.join(root, 'a'))} }
    - { name: b, medium: nas, room: "архив 204", path: ${JSON.stringify(path.join(root, 'b'))} }
  signingKeyFile: ${JSON.stringify(files.privateFile)}
  verifyKeyFile: ${JSON.stringify(files.publicFile)}
`, 'backup.yaml');
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (_: unknown, msg: string) => { warnings.push(msg); } } as unknown as Logger;
    // The night 400 days after every copy's last check: only the clock moves on.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 400 * 86_400_000);
    let summary;
    try {
      summary = await runArchiveJob('nightly-backup', { schoolId: 'school-1' }, { config: cfg, store, logger, close: async () => {} });
    } finally {
      vi.useRealTimers();
    }
    expect(summary.kind === 'nightly-backup' && summary.reverified.checked).toHaveLength(REVERIFY_PER_NIGHT);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^nightly-backup school-1: 2 cop\(ies\) of 1 snapshot\(s\) not re-verified for over a year \(oldest last check \d{4}-\d\d-\d\dT/);
    expect(warnings[0]).toContain('backup verify --school school-1');
  }, 180_000);
});
