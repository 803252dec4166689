// The import package for a school moving to ЭлЖур (issue 6; platforms.md §4.4: ЭлЖур has no public
// journal write API, so the journal moves as files the ЭлЖур support team loads). Pure: canonical records
// in, file texts out — class lists, timetable, lessons with topics and homework, marks, attendance, final
// marks as UTF-8 CSV, a manifest (rows and SHA-256 per file) and a README for the support team.
import { sha256Hex } from '../../../model/hash.js';
import type { CanonicalRecord, RecordOf } from '../../../model/records.js';
import { pupilClassIds } from '../../../model/pupil-classes.js';
import { WORK_TYPES } from '../../../model/work-types.js';
import type { EntityName } from '../../../model/enums.js';
import { eljurAbsenceCode } from '../../../mappers/eljur/codes.js';
import { toCsv, type Row } from './csv.js';
import { FILES, PACKAGE_FORMAT, PACKAGE_VERSION, type PackageFile } from './files.js';
import { readme } from './readme.js';
import { packageScope } from './scope.js';

type R<E extends EntityName> = RecordOf<E>;

export interface ImportPackageOptions {
  /** The school's ЭлЖур subdomain, when already known. */
  vendor?: string;
  /** When the package was built (UTC ISO): passed in, so the same store gives the same package. */
  generatedAt: string;
  /** Only lessons (and their marks and attendance) in this window; final marks are always whole. */
  window?: { from: string; to: string };
}

export interface ImportPackage {
  /** File name → text (UTF-8). */
  files: Map<string, string>;
  manifest: Manifest;
}

export interface Manifest {
  format: typeof PACKAGE_FORMAT;
  version: typeof PACKAGE_VERSION;
  generatedAt: string;
  school: { key: string; name: string; timeZone?: string };
  vendor?: string;
  window?: { from: string; to: string };
  files: { name: string; title: string; rows: number; sha256: string; columns: readonly string[] }[];
}

/**
 * A package whose marks, absences or final marks name a pupil `pupils.csv` lacks would load them nowhere: refused,
 * naming how many and why, rather than written for the support team to load and lose.
 */
function refuseUnlistedPupils(rows: Record<PackageFile, Row[]>, pupils: ReadonlySet<string>): void {
  const missing = new Set<string>();
  const counts: string[] = [];
  for (const file of ['marks.csv', 'attendance.csv', 'final_marks.csv', 'group_members.csv'] as const) {
    const unlisted = rows[file].filter((r) => !pupils.has(String(r.person_key)));
    for (const r of unlisted) missing.add(String(r.person_key));
    if (unlisted.length) counts.push(`${file} ${unlisted.length}`);
  }
  if (missing.size) {
    throw new Error(`eljur import package: ${missing.size} pupil(s) have records (${counts.join(', ')}) but no class in the store — no enrollment in a class or in one of its groups — so pupils.csv cannot list them; run roster sync from the source first`);
  }
}

const fio = (p: R<'person'> | undefined) => ({ lastname: p?.familyName, firstname: p?.givenName, middlename: p?.middleName, gender: p?.sex });

export function buildImportPackage(records: Iterable<CanonicalRecord>, opts: ImportPackageOptions): ImportPackage {
  const { all, classes, sections, lessons, heldLessons, marks, attendance } = packageScope(records, opts.window);
  const school = all('organization').find((o) => o.type === 'school');
  if (!school) throw new Error('eljur import package: the store holds no school');
  const persons = new Map(all('person').map((p) => [p.id, p]));
  const subjects = new Map(all('subject').map((s) => [s.id, s]));
  const works = new Map(all('work').map((w) => [w.id, w]));

  // Pupils by their class (ЭПОС enrols them in groups only: the class most of their groups belong to).
  const pupilClass = new Map([...pupilClassIds([...all('homeroom_class'), ...all('section'), ...all('enrollment')])].map(([p, c]) => [p, classes.get(c)!.title]));
  const members: Row[] = [];
  for (const e of all('enrollment')) if (e.role === 'student' && sections.has(e.sectionId)) members.push({ section_key: e.sectionId, person_key: e.personId });
  const staff = new Set<string>();
  for (const l of lessons.values()) staff.add(l.scheduledTeacherId);
  for (const c of classes.values()) if (c.classTeacherId) staff.add(c.classTeacherId);

  const rows: Record<PackageFile, Row[]> = {
    'periods.csv': all('academic_session').map((s) => ({ period_key: s.id, name: s.title, kind: s.kind, start: s.startDate, end: s.endDate })),
    'staff.csv': [...staff].sort().map((id) => ({ person_key: id, ...fio(persons.get(id)) })),
    'classes.csv': [...classes.values()].map((c) => ({ class_key: c.id, name: c.title, parallel: c.gradeLevel, class_teacher_key: c.classTeacherId, year_key: c.academicYearId })),
    'pupils.csv': [...pupilClass].map(([id, cls]) => ({ person_key: id, ...fio(persons.get(id)), birthdate: persons.get(id)?.birthDate, class: cls })),
    'groups.csv': [...sections.values()].map((s) => ({
      section_key: s.id, class: classes.get(s.homeroomClassId)!.title, subject_key: s.subjectId, subject: subjects.get(s.subjectId)?.title, subgroup: s.subgroup ?? '',
    })),
    'group_members.csv': members,
    'lessons.csv': heldLessons.map((l) => ({
      lesson_key: l.id, section_key: l.sectionId, date: l.date, lesson_number: l.lessonNumber, start: l.startTime, end: l.endTime,
      teacher_key: l.scheduledTeacherId, topic: l.topic, homework: l.homework?.notAssigned ? 'Не задано' : l.homework?.text,
    })),
    'marks.csv': marks.map((m) => {
      const code = works.get(m.workId)?.workTypeCode ?? '';
      return {
        lesson_key: m.lessonId, person_key: m.studentId, slot: m.slot, value: m.raw, work_type: code,
        work_type_name: WORK_TYPES.find((w) => w.code === code)?.nameRu, weight: m.weightApplied, date: m.markDate, comment: m.comment,
      };
    }),
    'attendance.csv': attendance.map((a) => ({ lesson_key: a.lessonId, person_key: a.studentId, code: eljurAbsenceCode(a) })),
    'final_marks.csv': all('final_mark').filter((f) => sections.has(f.sectionId)).map((f) => ({ section_key: f.sectionId, person_key: f.studentId, period_key: f.periodId, value: f.raw })),
  };
  refuseUnlistedPupils(rows, new Set(pupilClass.keys()));
  const files = new Map<string, string>();
  const listed: Manifest['files'] = [];
  for (const [name, spec] of Object.entries(FILES) as [PackageFile, (typeof FILES)[PackageFile]][]) {
    const text = toCsv(spec.columns, rows[name]);
    files.set(name, text);
    listed.push({ name, title: spec.title, rows: rows[name].length, sha256: sha256Hex(text), columns: spec.columns });
  }
  const manifest: Manifest = {
    format: PACKAGE_FORMAT, version: PACKAGE_VERSION, generatedAt: opts.generatedAt,
    school: { key: school.id, name: school.name, timeZone: school.timeZone }, vendor: opts.vendor, window: opts.window, files: listed,
  };
  files.set('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  files.set('README.md', readme(manifest));
  return { files, manifest };
}
