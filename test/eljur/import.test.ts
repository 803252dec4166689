// ЭлЖур has no journal write API (platforms.md §4.4): a school moving to ЭлЖур gets an import package for
// the support team, and the gateway verifies the import by reading the school back (issue 6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { startEljurEmulator, type EljurEmulator } from '../../src/emulators/eljur/index.js';
import { IMPORT_ROUTE } from '../../src/emulators/eljur/admin-import.js';
import { buildImportPackage, FILES, parseCsv, toCsv, verifyImport, type ImportPackage } from '../../src/connectors/eljur/import/index.js';
import { sha256Hex } from '../../src/model/hash.js';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run as eljurPackageCommand } from '../../src/cli/commands/eljur-package.js';
import { connectorFor } from './harness.js';

let school: SyntheticSchool;
let pkg: ImportPackage;
let window: { from: string; to: string };
const emus: EljurEmulator[] = [];

beforeAll(() => {
  school = generateSchool({ seed: 21, pupils: 30, weeks: 9 });
  const dates = school.all('lesson').map((l) => l.date).sort();
  window = { from: dates[0], to: dates.at(-1)! };
  pkg = buildImportPackage(school.records, { vendor: 'school-emu', generatedAt: '2026-11-29T12:00:00.000Z', window });
});
afterAll(async () => { for (const e of emus) await e.close(); });

const resolverOf = (emu: EljurEmulator) => {
  const x = new Map(emu.crosswalk().map((r) => [`${r.entity}:${r.sourceId}`, r.canonicalId]));
  return (entity: string, id: string) => x.get(`${entity}:${id}`);
};
async function load(files: ReadonlyMap<string, string>): Promise<EljurEmulator> {
  const emu = await startEljurEmulator({ dataset: school, importPackage: files });
  emus.push(emu);
  return emu;
}
/** Changes one file of a package and re-seals the manifest (a package that was edited, not corrupted). */
function edit(p: ImportPackage, name: string, change: (rows: Record<string, string>[]) => void): Map<string, string> {
  const rows = parseCsv(p.files.get(name)!);
  change(rows);
  const text = toCsv(FILES[name as keyof typeof FILES].columns, rows);
  const manifest = { ...p.manifest, files: p.manifest.files.map((f) => (f.name === name ? { ...f, rows: rows.length, sha256: sha256Hex(text) } : f)) };
  return new Map([...p.files, [name, text], ['manifest.json', JSON.stringify(manifest)]]);
}

describe('ЭлЖур import package', () => {
  it('holds class lists, timetable, lessons with topics and homework, marks, attendance and final marks as UTF-8 CSV, a manifest and a README for the support team', () => {
    expect([...pkg.files.keys()].sort()).toEqual([...Object.keys(FILES), 'README.md', 'manifest.json'].sort());
    for (const f of pkg.manifest.files) {
      expect(sha256Hex(pkg.files.get(f.name)!)).toBe(f.sha256);
      expect(parseCsv(pkg.files.get(f.name)!)).toHaveLength(f.rows);
    }
    const rows = Object.fromEntries(pkg.manifest.files.map((f) => [f.name, f.rows]));
    expect(rows['pupils.csv']).toBe(school.all('enrollment').filter((e) => e.role === 'student' && school.all('homeroom_class').some((c) => c.id === e.sectionId)).length);
    expect(rows['marks.csv']).toBe(school.all('mark').length);
    expect(rows['attendance.csv']).toBe(school.all('attendance_record').length);
    expect(rows['final_marks.csv']).toBe(school.all('final_mark').length);
    expect(rows['final_marks.csv']).toBeGreaterThan(0);
    const pupil = parseCsv(pkg.files.get('pupils.csv')!)[0];
    expect(pupil.lastname).toMatch(/^[А-ЯЁ][а-яё]+/); // UTF-8 Cyrillic, not mojibake
    expect(pkg.files.get('README.md')).toMatch(/Пакет импорта в ЭлЖур/);
    expect(pkg.files.get('README.md')).toMatch(/marks\.csv \| Отметки \| \d+/);
    // The same store gives the same package.
    expect(buildImportPackage(school.records, { vendor: 'school-emu', generatedAt: '2026-11-29T12:00:00.000Z', window }).manifest).toEqual(pkg.manifest);
  });

  it.each(['json', 'xml'] as const)('verifies a loaded import by reading the school back (out_format=%s): zero differences', async (format) => {
    const emu = await load(pkg.files);
    const v = await verifyImport(connectorFor(emu, { format }), school.records, window, { resolve: resolverOf(emu) });
    expect(v.quarantine).toEqual([]);
    expect(v.report.differences.slice(0, 10)).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.report.compared.mark.equal).toBeGreaterThan(500);
    expect(v.report.compared.final_mark.equal).toBeGreaterThan(20);
  }, 120_000);

  it('a topic or homework a spreadsheet would run as a formula is written inert, with a BOM for Cyrillic, and loads back exactly', async () => {
    const held = school.all('lesson').filter((l) => l.lessonStatus === 'held' && l.date >= window.from && l.date <= window.to && l.homework?.text);
    const [a, b] = held;
    const formula = '=HYPERLINK("http://evil.example/x","Тема")';
    const quoted = "'уже с апострофом";
    const at = '@SUM(1+1)*cmd|\' /C calc\'!A0';
    const records = school.records.map((r) => (r.id === a.id ? { ...a, topic: formula, homework: { ...a.homework!, text: at } } : r.id === b.id ? { ...b, topic: quoted } : r));
    const tricky = buildImportPackage(records, { vendor: 'school-emu', generatedAt: '2026-11-29T12:00:00.000Z', window });
    const csv = tricky.files.get('lessons.csv')!;
    expect(csv.charCodeAt(0)).toBe(0xfeff); // a Russian-locale spreadsheet reads UTF-8 without it as cp1251
    for (const f of tricky.manifest.files) expect(tricky.files.get(f.name)!.startsWith('\uFEFF'), f.name).toBe(true);
    // No cell starts with a formula character: each field is split on ; outside quotes by the parser's own rule.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/x"",""Тема"")"`);
    expect(csv).toContain(`'@SUM(1+1)`);
    expect(csv).toContain(`''уже с апострофом`);
    const lessons = parseCsv(csv);
    expect(lessons.find((l) => l.lesson_key === a.id)).toMatchObject({ topic: formula, homework: at });
    expect(lessons.find((l) => l.lesson_key === b.id)?.topic).toBe(quoted);
    // Loaded and read back: the journal holds the texts as the source had them.
    const emu = await load(tricky.files);
    const v = await verifyImport(connectorFor(emu), records, window, { resolve: resolverOf(emu) });
    expect(v.report.differences.slice(0, 10)).toEqual([]);
    expect(v.ok).toBe(true);
  }, 120_000);

  it('an import loaded with a changed mark is caught by the verification, naming the record and field', async () => {
    const changed = edit(pkg, 'marks.csv', (rows) => { const r = rows.find((x) => x.value === '5')!; r.value = '4'; });
    const emu = await load(changed);
    const v = await verifyImport(connectorFor(emu), school.records, window, { resolve: resolverOf(emu) });
    expect(v.ok).toBe(false);
    expect(v.report.differences).toEqual([expect.objectContaining({ entity: 'mark', kind: 'different', fields: expect.arrayContaining(['raw', 'base']) })]);
  }, 120_000);

  it('the emulator-only POST /emulator/import loads a package at runtime (devkey required, altered package refused) and keeps existing accounts\' user ids', async () => {
    const emu = await startEljurEmulator({ dataset: school, emptyJournal: true });
    emus.push(emu);
    const uidBefore = emu.world.userId.get(school.all('enrollment').find((e) => e.role === 'student')!.personId)!;
    const post = (devkey: string, files: ReadonlyMap<string, string>) => fetch(`${emu.baseUrl}${IMPORT_ROUTE}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-emulator-devkey': devkey }, body: JSON.stringify({ files: Object.fromEntries(files) }),
    });
    expect((await post('wrong', pkg.files)).status).toBe(403);
    const tampered = new Map(pkg.files).set('marks.csv', `${pkg.files.get('marks.csv')}x;y\r\n`);
    const refused = await post(String(emu.info.devkey), tampered);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: string }).error).toMatch(/marks\.csv does not match its SHA-256/);
    expect([...emu.world.marksByPupil.values()].flat().filter((m) => !m.absence)).toHaveLength(0);
    // The gateway's canonical ids are not the ones ЭлЖур's accounts were made from: another id for every person.
    const renamed = new Map(school.all('person').map((p) => [p.id, randomUUID()]));
    const records = JSON.parse(JSON.stringify(school.records).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => renamed.get(id) ?? id));
    const ok = await post(String(emu.info.devkey), buildImportPackage(records, { generatedAt: '2026-11-29T12:00:00.000Z', window }).files);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { loaded: Record<string, number> }).loaded.mark).toBe(school.all('mark').length);
    expect([...emu.world.marksByPupil.values()].flat().filter((m) => !m.absence)).toHaveLength(school.all('mark').length);
    // The pupil keeps the user id the school's account had before the import.
    expect(emu.world.userId.get(renamed.get(school.all('enrollment').find((e) => e.role === 'student')!.personId)!)).toBe(uidBefore);
  }, 120_000);

  it('a pupil enrolled only in groups (as ЭПОС lists them) is listed in the class of their groups; one with no class at all is refused, not left out', () => {
    const inGroupsOnly = school.records.filter((r) => !(r.entity === 'enrollment' && r.role === 'student' && school.all('homeroom_class').some((c) => c.id === r.sectionId)));
    const fromGroups = parseCsv(buildImportPackage(inGroupsOnly, { generatedAt: '2026-11-29T12:00:00.000Z', window }).files.get('pupils.csv')!);
    expect(fromGroups.map((r) => [r.person_key, r.class]).sort()).toEqual(parseCsv(pkg.files.get('pupils.csv')!).map((r) => [r.person_key, r.class]).sort());

    const noClass = inGroupsOnly.filter((r) => !(r.entity === 'enrollment' && r.role === 'student'));
    expect(() => buildImportPackage(noClass, { generatedAt: '2026-11-29T12:00:00.000Z', window })).toThrow(/\d+ pupil\(s\) have records \(marks\.csv \d+.*but no class in the store/);
  });

  it('the loader refuses a package whose file does not match the manifest', async () => {
    const tampered = new Map(pkg.files);
    tampered.set('marks.csv', `${tampered.get('marks.csv')}x;y\r\n`);
    await expect(startEljurEmulator({ dataset: school, importPackage: tampered })).rejects.toThrow(/marks\.csv does not match its SHA-256/);
  });

  it('`journal-gateway eljur-package FILE --out DIR` writes the same package from canonical NDJSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eljur-pkg-'));
    try {
      const file = path.join(dir, 'school.ndjson');
      writeFileSync(file, school.records.map((r) => JSON.stringify(r)).join('\n'));
      const rc = await eljurPackageCommand(file, { out: path.join(dir, 'pkg'), vendor: 'school-emu', from: window.from, to: window.to, now: '2026-11-29T12:00:00.000Z' });
      expect(rc).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'pkg', 'manifest.json'), 'utf8'));
      expect(manifest).toEqual(JSON.parse(pkg.files.get('manifest.json')!));
      expect(readFileSync(path.join(dir, 'pkg', 'marks.csv'), 'utf8')).toBe(pkg.files.get('marks.csv'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
