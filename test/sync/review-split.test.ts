// `review split` on a store (src/sync/split-person.ts): what a split writes, closes and tombstones, and the input it
// refuses — each refusal names what was wrong, is a usage mistake (exit 64) where the command line was wrong, and
// changes nothing. Synthetic ids only; the end-to-end run is review-split.e2e.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { grantsAccess, verifiedGuardianLink } from '../../src/auth/children.js';
import { run as review } from '../../src/cli/commands/review.js';
import { exitCodeOf } from '../../src/cli/exit-codes.js';
import { UsageError } from '../../src/infra/operator-errors.js';
import { buildRecord, mintId, naturalId, type CanonicalRecord, type GuardianLinkRecord } from '../../src/model/index.js';
import { sourceScopedId } from '../../src/model/ids.js';
import { openStore, type Store } from '../../src/store/index.js';
import { personDecisionId, personDecisionsOf, splitOffId, SPLIT_RULE } from '../../src/sync/person-decisions.js';
import { schoolCanonicalId } from '../../src/sync/roster-sync.js';
import { personLinksOf, splitPersonLink } from '../../src/sync/split-person.js';
import { captureStdout } from '../support/capture-stdout.js';

const SOR = { system: 'dnevnik_ru' as const, instance: 'sor' };
const T = { system: 'epos' as const, instance: 't' };
const prov = (p: { system: 'dnevnik_ru' | 'epos'; instance: string }) => ({ ...p, fetchedAt: '2026-01-10T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' });
const SCHOOL = schoolCanonicalId('s1');

/** A record of `entity` read from `from` first (its id that platform's), linked from each of `rows` ([platform, platform id]). */
async function stored(store: Store, entity: 'person' | 'role_assignment' | 'guardian_link', fields: Record<string, unknown>, rows: [typeof SOR | typeof T, string][], opts: { firstRefOnly?: boolean } = {}): Promise<CanonicalRecord> {
  const [first, firstSid] = rows[0];
  const r = buildRecord(entity, fields as never, {
    id: sourceScopedId(first.system, first.instance, entity, firstSid),
    // A platform that is not the system of record links a record another wrote without rewriting it: its ref is absent.
    sourceRefs: (opts.firstRefOnly ? rows.slice(0, 1) : rows).map(([p, sid]) => ({ system: p.system, instance: p.instance, sourceId: sid, kind: 'id' })), provenance: prov(first),
  });
  await store.upsertMany([r], { runId: 'r' });
  await store.link(rows.map(([p, sid]) => ({ entity, canonicalId: r.id, system: p.system, instance: p.instance, sourceId: sid, sourceIdKind: 'id' })), { runId: 'r' });
  return r;
}
const adult = { familyName: 'Тестов', givenName: 'Отец', enabled: true };

/**
 * A father (Дневник.ру record F1) whose person ЭПОС's record S9 — another adult — was linked to: his role at the school
 * reported by both, his own child C1 by Дневник.ру, the other adult's child C2 by ЭПОС only; an ESIA login of his with
 * the child ESIA confirmed (C1).
 */
async function linkedFather(store: Store) {
  const [c1, c2] = [mintId(), mintId()];
  const father = await stored(store, 'person', adult, [[SOR, 'F1'], [T, 'S9']]);
  const role = await stored(store, 'role_assignment', { personId: father.id, organizationId: SCHOOL, role: 'parent', isPrimary: true }, [[SOR, 'F1:parent'], [T, 'S9:parent']]);
  const own = await stored(store, 'guardian_link', { studentId: c1, guardianId: father.id, relation: 'father', isLegalRepresentative: true, accessScope: 'full', digitalAccess: 'unknown' }, [[SOR, 'C1:F1']]);
  const wrong = await stored(store, 'guardian_link', { studentId: c2, guardianId: father.id, relation: 'father', isLegalRepresentative: true, accessScope: 'full', digitalAccess: 'unknown' }, [[T, 'C2:S9']]);
  await store.link([{ entity: 'person', canonicalId: father.id, system: 'gateway', instance: 'esia', sourceId: '1000000001', sourceIdKind: 'login_subject' }], { runId: 'login' });
  const esia = verifiedGuardianLink(c1, father.id, '2026-01-11T00:00:00Z', 'login');
  await store.upsertMany([esia], { runId: 'login' });
  return { father, role, own, wrong, esia };
}

describe('review split', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('closes the link, records the decision, releases what that platform reported; the login and what the other platform reports stay', async () => {
    const { father, role, own, wrong, esia } = await linkedFather(store);
    const message = await splitPersonLink(store, { personId: father.id, link: { instance: 't', sourceId: 'S9' }, runId: 'review-1', school: { organizationId: SCHOOL, name: 's1' } });
    expect(message).toMatch(/2 of its record\(s\) released \(1 only it reported, now tombstoned\), made again at that sync$/);
    expect((await store.resolve('epos', 't', 'person', ['S9'])).size).toBe(0);
    expect((await personLinksOf(store, father.id)).map((l) => `${l.system}/${l.instance}`).sort()).toEqual(['dnevnik_ru/sor', 'gateway/esia']);
    // The decision: the ЭПОС record is not this person, and becomes the person of the id given.
    const newId = splitOffId({ system: 'epos', instance: 't', sourceId: 'S9' }, father.id);
    expect(await store.get(personDecisionId(newId, father.id))).toMatchObject({ decision: 'rejected', rule: SPLIT_RULE, leftId: newId, rightId: father.id, organizationId: SCHOOL });
    const decisions = await personDecisionsOf(store, 'epos', 't');
    expect([...(decisions.notThesePersons.get('S9') ?? [])]).toEqual([father.id]);
    expect(decisions.splitOffAs.get('S9')).toBe(newId);
    expect((await personDecisionsOf(store, 'dnevnik_ru', 'sor')).notThesePersons.size).toBe(0);
    // ЭПОС's child of the other adult: gone from the father; his own child and the school's role stay, Дневник.ру's.
    expect(await store.get(wrong.id)).toMatchObject({ status: 'deleted', deleteReason: 'merged', deleteEvidence: `split t from ${father.id}` });
    expect((await store.resolve('epos', 't', 'guardian_link', ['C2:S9'])).size).toBe(0);
    expect(await store.get(own.id)).toMatchObject({ status: 'active' });
    expect(await store.get(role.id)).toMatchObject({ status: 'active' });
    expect((await store.resolve('dnevnik_ru', 'sor', 'role_assignment', ['F1:parent'])).get('F1:parent')).toBe(role.id);
    expect((await store.resolve('epos', 't', 'role_assignment', ['S9:parent'])).size).toBe(0);
    // The child ESIA confirmed for the father's login is still his to see.
    expect(grantsAccess(await store.get(esia.id) as GuardianLinkRecord, father.id)).toBe(true);
  });

  it('a record the split-off platform read first (bearing its id) is kept for the other platform under an id of its own', async () => {
    // The person and the role were first made from ЭПОС's record; Дневник.ру's record was linked to them.
    const person = await stored(store, 'person', { ...adult, identifiers: [{ kind: 'snils', value: '112-233-445 95' }], phones: ['+79990000001'] }, [[T, 'S5'], [SOR, 'F5']]);
    const role = await stored(store, 'role_assignment', { personId: person.id, organizationId: SCHOOL, role: 'parent', isPrimary: true }, [[T, 'S5:parent'], [SOR, 'F5:parent']], { firstRefOnly: true });
    const message = await splitPersonLink(store, { personId: person.id, link: { instance: 't', sourceId: 'S5' }, runId: 'review-1' });
    // The person's identifiers and contacts were ЭПОС's: removed (they matched the split-off record here, and would give
    // two persons one SNILS), and Дневник.ру, still linked, rewrites the person whole at its next roster sync.
    expect(message).toMatch(/the person's identifiers and contacts were t's: removed, and the person is rewritten by sor at its next roster sync$/);
    expect(await store.get(person.id)).toMatchObject({ identifiers: [], phones: [], emails: [], sourceRefs: [{ system: 'dnevnik_ru', instance: 'sor', sourceId: 'F5' }] });
    // ЭПОС's next read makes its records under their own ids again: neither may be the ones Дневник.ру reports.
    expect(splitOffId({ system: 'epos', instance: 't', sourceId: 'S5' }, person.id)).not.toBe(person.id);
    expect(await store.get(role.id)).toMatchObject({ status: 'deleted' });
    const kept = (await store.resolve('dnevnik_ru', 'sor', 'role_assignment', ['F5:parent'])).get('F5:parent')!;
    expect(kept).not.toBe(role.id);
    expect(await store.get(kept)).toMatchObject({ status: 'active', personId: person.id, role: 'parent', organizationId: SCHOOL, sourceRefs: [{ system: 'dnevnik_ru', instance: 'sor', sourceId: 'F5:parent' }] });
    expect(await store.get(person.id)).toMatchObject({ status: 'active' });
  });

  it('a pair a login confirmed stays as decided when the split-off platform reported it too: only its row is closed', async () => {
    // ЭПОС's record S9 also lists the father's own child C1: the sync matched that report onto the link ESIA confirmed
    // (same natural key), whose only crosswalk row is then ЭПОС's. Before, the split tombstoned it as ЭПОС's alone, and
    // the father lost his child's diary for good (a login skips a pair the school decided).
    const { father, esia } = await linkedFather(store);
    await store.link([{ entity: 'guardian_link', canonicalId: esia.id, system: 'epos', instance: 't', sourceId: 'C1b:S9', sourceIdKind: 'id' }], { runId: 'r' });
    await splitPersonLink(store, { personId: father.id, link: { instance: 't', sourceId: 'S9' }, runId: 'review-1' });
    expect((await store.resolve('epos', 't', 'guardian_link', ['C1b:S9'])).size).toBe(0);
    expect(await store.get(esia.id)).toMatchObject({ status: 'active' });
    expect(grantsAccess(await store.get(esia.id) as GuardianLinkRecord, father.id)).toBe(true);
  });

  describe('refuses, naming what was wrong, and changes nothing', () => {
    const untouched = async (personId: string, links: number) => {
      expect(await personLinksOf(store, personId)).toHaveLength(links);
      let decisions = 0;
      for await (const r of store.iterate('match_candidate')) if (r.entity === 'match_candidate') decisions++;
      expect(decisions).toBe(0);
    };
    const refused = async (p: Promise<string>, message: RegExp) => {
      const e = await p.then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(UsageError);
      expect(exitCodeOf(e)).toBe(64);
      expect((e as Error).message).toMatch(message);
    };

    it('an id that is no person', async () => {
      const { father } = await linkedFather(store);
      const id = mintId();
      await refused(splitPersonLink(store, { personId: id, link: { instance: 't', sourceId: 'S9' }, runId: 'r' }), new RegExp(`no active person with canonical id ${id}`));
      // A guardian link's id is a record, not a person.
      await refused(splitPersonLink(store, { personId: naturalId('x', father.id), link: { instance: 't', sourceId: 'S9' }, runId: 'r' }), /no active person/);
      await untouched(father.id, 3);
    });

    it('a link that is not the person\'s: another platform id, or one of another person', async () => {
      const { father } = await linkedFather(store);
      const other = await stored(store, 'person', { ...adult, givenName: 'Другой' }, [[T, 'S7'], [SOR, 'F7']]);
      await refused(splitPersonLink(store, { personId: father.id, link: { instance: 't', sourceId: 'S7' }, runId: 'r' }), new RegExp(`record S7 of t is not linked to person ${father.id}`));
      await refused(splitPersonLink(store, { personId: father.id, link: { instance: 'nope', sourceId: 'S9' }, runId: 'r' }), /record S9 of nope is not linked/);
      await untouched(father.id, 3);
      await untouched(other.id, 2);
    });

    it('the person\'s only link: nothing to split it from', async () => {
      const alone = await stored(store, 'person', adult, [[T, 'S8']]);
      await refused(splitPersonLink(store, { personId: alone.id, link: { instance: 't', sourceId: 'S8' }, runId: 'r' }), new RegExp(`record S8 of t is the only link of person ${alone.id}`));
      await untouched(alone.id, 1);
    });

    it('the person\'s login: it stays with the person', async () => {
      const { father } = await linkedFather(store);
      await refused(splitPersonLink(store, { personId: father.id, link: { instance: 'esia', sourceId: '1000000001' }, runId: 'r' }), /is the person's login, not a platform record: it stays with person/);
      await untouched(father.id, 3);
    });

    it('with --school, a person of another school', async () => {
      const { father } = await linkedFather(store);
      await refused(splitPersonLink(store, { personId: father.id, link: { instance: 't', sourceId: 'S9' }, runId: 'r', school: { organizationId: schoolCanonicalId('s2'), name: 's2' } }), new RegExp(`person ${father.id} has no role at school s2`));
      await untouched(father.id, 3);
    });

    it('a person with a journal (not handled yet): said so, not split half-way', async () => {
      const { father } = await linkedFather(store);
      await store.upsertMany([buildRecord('final_mark', {
        studentId: father.id, sectionId: mintId(), kind: 'year', periodId: mintId(), raw: '5', base: 5, recordedAt: '2026-01-10T00:00:00Z', recordedBy: mintId(),
      }, { id: mintId(), sourceRefs: [{ ...SOR, sourceId: 'FM1', kind: 'id' }], provenance: prov(SOR) })], { runId: 'r' });
      await expect(splitPersonLink(store, { personId: father.id, link: { instance: 't', sourceId: 'S9' }, runId: 'r' })).rejects.toThrow(/has journal records \(final_mark\).*not handled yet; nothing split/);
      await untouched(father.id, 3);
    });
  });
});

describe('review split on the command line', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-review-split-'));
  const config = path.join(dir, 'gateway.yaml');
  writeFileSync(config, `region: { id: r, name: R, timeZone: Europe/Samara }
store: { databaseUrl: "", dataDir: ${JSON.stringify(dir)}, schema: split_s }
platforms:
  - { instance: t, platform: asurso, baseUrl: "http://127.0.0.1:1", auth: { kind: password, login: a, password: b }, options: { loginSchoolId: 1 } }
schools:
  - { id: s1, name: School 1, timeZone: Europe/Samara, systemOfRecord: t, platforms: [{ instance: t, schoolId: "1" }] }
  - { id: s2, name: School 2, timeZone: Europe/Samara, systemOfRecord: t, platforms: [{ instance: t, schoolId: "2" }] }
`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const withStore = async <R>(fn: (s: Store) => Promise<R>) => {
    const s = await openStore({ databaseUrl: null, dataDir: path.join(dir, 'store'), schema: 'split_s' });
    try { return await fn(s); } finally { await s.close(); }
  };

  it('lists the person\'s links by id, splits one off, and refuses a half-given link or another school\'s person', async () => {
    const father = await withStore(async (s) => (await linkedFather(s)).father);
    const listed = await captureStdout(() => review('split', father.id, { config }));
    expect(listed.code).toBe(0);
    const rows = listed.printed.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows.map((r) => `${r.kind} ${r.instance} ${r.sourceId}`).sort()).toEqual(['person_link esia 1000000001', 'person_link sor F1', 'person_link t S9']);
    expect(listed.printed).not.toMatch(/Тестов|Отец/);
    await expect(review('split', father.id, { config, instance: 't' })).rejects.toThrow(/--instance <platform instance> and --source-id <platform id> go together/);
    await expect(review('split', father.id, { config, school: 's2' })).rejects.toThrow(new RegExp(`person ${father.id} has no role at school s2`));
    await expect(review('split', undefined, { config })).rejects.toThrow(/split <personId> \[--instance <platform instance> --source-id <platform id>\]/);
    await expect(review('split', father.id, { config, instance: 't', sourceId: 'S9', school: 's2' })).rejects.toBeInstanceOf(UsageError);
    const done = await captureStdout(() => review('split', father.id, { config, instance: 't', sourceId: 'S9', school: 's1' }));
    expect(done.printed).toMatch(new RegExp(`^${father.id}: t record split off`));
    await withStore(async (s) => expect((await s.resolve('epos', 't', 'person', ['S9'])).size).toBe(0));
  });
});
