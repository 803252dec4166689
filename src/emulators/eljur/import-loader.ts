// What the ЭлЖур support team does with an import package, as the emulator does it: checks the manifest
// (format, version, every file's SHA-256 and row count) and loads the CSV files into a school. The result
// is the record set EljurWorld renders (partial records: only the fields the world reads), with the
// package's `*_key` columns kept as the external ids —
// so a connector reading the loaded school can be checked record by record (verifyImport).
import { sha256Hex } from '../../model/hash.js';
import type { CanonicalRecord } from '../../model/records.js';
import { FILES, PACKAGE_FORMAT, PACKAGE_VERSION, parseCsv, type Manifest, type PackageFile } from '../../connectors/eljur/import/index.js';

/** Loads a package (file name → text). Throws naming the file when the package is incomplete or altered. */
export function recordsFromImportPackage(files: ReadonlyMap<string, string>): CanonicalRecord[] {
  const manifestText = files.get('manifest.json');
  if (!manifestText) throw new Error('eljur import: manifest.json is missing');
  const manifest = JSON.parse(manifestText) as Manifest;
  if (manifest.format !== PACKAGE_FORMAT || manifest.version !== PACKAGE_VERSION) throw new Error(`eljur import: unknown package format ${manifest.format} v${manifest.version}`);
  const table = (name: PackageFile) => {
    const text = files.get(name);
    const listed = manifest.files.find((f) => f.name === name);
    if (text === undefined || !listed) throw new Error(`eljur import: ${name} is missing`);
    if (sha256Hex(text) !== listed.sha256) throw new Error(`eljur import: ${name} does not match its SHA-256 in manifest.json`);
    const rows = parseCsv(text);
    if (rows.length !== listed.rows) throw new Error(`eljur import: ${name} has ${rows.length} rows, manifest.json says ${listed.rows}`);
    const missing = FILES[name].columns.filter((c) => rows.length && !(c in rows[0]));
    if (missing.length) throw new Error(`eljur import: ${name} lacks columns ${missing.join(', ')}`);
    return rows;
  };
  const rec = (entity: string, id: string, fields: Record<string, unknown>) => ({ entity, id, status: 'active', ...fields }) as unknown as CanonicalRecord;
  const opt = (v: string | undefined) => (v ? v : undefined);
  const out: CanonicalRecord[] = [rec('organization', manifest.school.key, { name: manifest.school.name, type: 'school', timeZone: manifest.school.timeZone })];
  for (const p of table('periods.csv')) out.push(rec('academic_session', p.period_key, { title: p.name, kind: p.kind, startDate: p.start, endDate: p.end }));
  const person = (p: Record<string, string>) => ({ familyName: p.lastname, givenName: p.firstname, middleName: opt(p.middlename), sex: opt(p.gender) });
  for (const p of table('staff.csv')) out.push(rec('person', p.person_key, person(p)));
  const classKey = new Map<string, string>();
  for (const c of table('classes.csv')) {
    classKey.set(c.name, c.class_key);
    out.push(rec('homeroom_class', c.class_key, { title: c.name, gradeLevel: Number(c.parallel), classTeacherId: opt(c.class_teacher_key), academicYearId: c.year_key }));
  }
  for (const p of table('pupils.csv')) {
    out.push(rec('person', p.person_key, { ...person(p), birthDate: opt(p.birthdate) }));
    out.push(rec('enrollment', `${p.person_key}:${classKey.get(p.class)}`, { personId: p.person_key, sectionId: classKey.get(p.class), role: 'student' }));
  }
  const subjects = new Set<string>();
  for (const g of table('groups.csv')) {
    if (!subjects.has(g.subject_key)) out.push(rec('subject', g.subject_key, { title: g.subject }));
    subjects.add(g.subject_key);
    out.push(rec('section', g.section_key, { homeroomClassId: classKey.get(g.class), subjectId: g.subject_key, subgroup: opt(g.subgroup) }));
  }
  for (const m of table('group_members.csv')) out.push(rec('enrollment', `${m.person_key}:${m.section_key}`, { personId: m.person_key, sectionId: m.section_key, role: 'student' }));
  for (const l of table('lessons.csv')) {
    out.push(rec('lesson', l.lesson_key, {
      sectionId: l.section_key, date: l.date, lessonNumber: Number(l.lesson_number), startTime: opt(l.start), endTime: opt(l.end), scheduledTeacherId: l.teacher_key,
      topic: opt(l.topic), homework: l.homework && l.homework !== 'Не задано' ? { text: l.homework } : undefined, lessonStatus: 'held',
    }));
  }
  for (const m of table('marks.csv')) {
    const work = `${m.lesson_key}:${m.work_type}`;
    out.push(rec('work', work, { lessonId: m.lesson_key, workTypeCode: m.work_type }));
    out.push(rec('mark', `${m.lesson_key}:${m.person_key}:${m.slot}`, {
      lessonId: m.lesson_key, workId: work, studentId: m.person_key, slot: Number(m.slot), raw: m.value, weightApplied: Number(m.weight), markDate: m.date, comment: opt(m.comment),
    }));
  }
  for (const a of table('attendance.csv')) out.push(rec('attendance_record', `${a.lesson_key}:${a.person_key}`, { lessonId: a.lesson_key, studentId: a.person_key, rawCode: a.code }));
  for (const f of table('final_marks.csv')) out.push(rec('final_mark', `${f.section_key}:${f.person_key}:${f.period_key}`, { sectionId: f.section_key, studentId: f.person_key, periodId: f.period_key, raw: f.value }));
  return out;
}
