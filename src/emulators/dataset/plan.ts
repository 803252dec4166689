// The roster plan of one synthetic school: people, classes, sections, teachers and the timetable.
// Everything here is small (a few thousand objects for a 1,000-pupil school) and is built once; the
// journal (lessons, works, marks, attendance, finals) is simulated from it in journal.ts.
import { mintId } from '../../model/ids.js';
import { addDays } from '../../model/dates.js';
import type { SchoolCalendar } from './calendar.js';
import {
  MAX_TEACHER_LOAD, PRIMARY_TAUGHT_BY_CLASS_TEACHER, type Specialty, SUBGROUPS, type SubjectDefinition, subjectsForGrade,
} from './curriculum.js';
import { FEMALE_NAMES, MALE_NAMES, type MaleName, SURNAMES, surnameFor, translit } from './names.js';
import type { Rng } from './rng.js';
import { snilsFromNumber } from './snils.js';
import { buildTimetable, type TeacherBusy, type TimetableUnit } from './timetable.js';

export const CLASS_LETTERS = ['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И', 'К', 'Л', 'М', 'Н', 'О', 'П', 'Р', 'С', 'Т', 'У', 'Ф'];

export interface PersonPlan {
  id: string;
  familyName: string;
  givenName: string;
  middleName: string;
  sex: 'male' | 'female';
  birthDate: string;
  snils: string;
  username: string;
  emails: string[];
  phones: string[];
  enabled: boolean;
}

export interface PupilPlan extends PersonPlan {
  idx: number;
  classIdx: number;
  grade: number;
  /** Mean mark level, 2.8..4.9. */
  ability: number;
  beginDate: string;
  endDate?: string;
  /** 0 or 1: English subgroup. */
  subgroup: number;
  parents: number[];
}

export interface ParentPlan extends PersonPlan {
  idx: number;
  relation: 'mother' | 'father';
  digitalAccess: 'enabled' | 'refused' | 'unknown';
}

export interface TeacherPlan extends PersonPlan {
  idx: number;
  specialty: Specialty;
  load: number;
  hiredOn: string;
  classTeacherOf?: number;
}

export interface StaffPlan extends PersonPlan {
  role: 'director' | 'deputy_academic' | 'administrator';
}

export interface SectionPlan {
  idx: number;
  id: string;
  classIdx: number;
  subject: SubjectDefinition;
  subgroup?: string;
  teacher: number;
  pupils: number[];
  weeklyHours: number;
  title: string;
  /** Lessons per weekday (index 0 = Monday). */
  perWeekday: number[];
}

export interface ClassPlan {
  idx: number;
  id: string;
  grade: number;
  letter: string;
  title: string;
  pupils: number[];
  classTeacher: number;
  sections: number[];
  units: TimetableUnit[];
  /** days[weekday-1] = unit indices by lesson number − 1. */
  days: number[][];
}

export interface SchoolPlan {
  index: number;
  id: string;
  name: string;
  shortName: string;
  number: number;
  inn: string;
  ogrn: string;
  sessions: { yearId: string; halfIds: string[]; quarterIds: string[] };
  subjectIds: Map<string, string>;
  pupils: PupilPlan[];
  parents: ParentPlan[];
  teachers: TeacherPlan[];
  staff: StaffPlan[];
  classes: ClassPlan[];
  sections: SectionPlan[];
  timetableClashes: number;
  domain: string;
}

export interface PlanOptions {
  classesPerGrade: number;
  /** Pupils per class, index = class order (grade-major). */
  classSizes: number[];
  calendar: SchoolCalendar;
}

/** Mints seeded UUIDv7s: deterministic clock (ms counter from a base instant) and seeded random bytes. */
export class IdMinter {
  private ms: number;
  constructor(private readonly rng: Rng, baseMs: number) {
    this.ms = baseMs;
  }
  next(): string {
    this.ms += 1;
    return mintId({ msecs: this.ms, random: this.rng.bytes(16) });
  }
}

function innCheck(digits: string, weights: number[]): number {
  let s = 0;
  for (let i = 0; i < weights.length; i++) s += Number(digits[i]) * weights[i];
  return (s % 11) % 10;
}

/** A 10-digit legal-entity INN with a valid check digit (region 63 = Самарская область). */
export function syntheticInn(rng: Rng, region = '63'): string {
  const body = region + String(rng.int(10_000_000, 99_999_999)).slice(0, 7);
  return body + innCheck(body, [2, 4, 10, 3, 5, 9, 4, 6, 8]);
}

/** A 13-digit OGRN with a valid check digit (remainder of the first 12 digits mod 11, last digit). */
export function syntheticOgrn(rng: Rng, region = '63'): string {
  const body = `1${String(rng.int(2, 24)).padStart(2, '0')}${region}${String(rng.int(1_000_000, 9_999_999))}`.slice(0, 12);
  return body + String((BigInt(body) % 11n) % 10n);
}

export class SnilsPool {
  private used = new Set<string>();
  constructor(private readonly rng: Rng) {}
  next(): string {
    for (;;) {
      const s = snilsFromNumber(this.rng.int(2_000_000, 999_999_999));
      if (!this.used.has(s)) {
        this.used.add(s);
        return s;
      }
    }
  }
}

class Usernames {
  private used = new Set<string>();
  make(familyName: string, givenName: string, middleName: string): string {
    const base = `${translit(familyName)}.${translit(givenName).slice(0, 1)}${translit(middleName).slice(0, 1)}`;
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}${n}`;
    this.used.add(name);
    return name;
  }
}

function birthDate(rng: Rng, fromYear: number, toYear: number): string {
  const y = rng.int(fromYear, toYear);
  return addDays(`${y}-01-01`, rng.int(0, 364));
}

function phone(rng: Rng): string {
  const n = String(rng.int(0, 9_999_999)).padStart(7, '0');
  return `+7 9${rng.int(10, 99)} ${n.slice(0, 3)}-${n.slice(3, 5)}-${n.slice(5)}`;
}

export function buildSchoolPlan(index: number, rng: Rng, minter: IdMinter, snils: SnilsPool, opts: PlanOptions): SchoolPlan {
  const cal = opts.calendar;
  const y1 = cal.schoolYear - 1;
  const number = [8, 122, 14, 57, 3, 41, 19, 96, 11, 25][index % 10] + Math.floor(index / 10) * 100;
  const usernames = new Usernames();
  const domain = `school${number}.example.ru`;
  const id = minter.next();
  const sessions = {
    yearId: minter.next(),
    halfIds: [minter.next(), minter.next()],
    quarterIds: [minter.next(), minter.next(), minter.next(), minter.next()],
  };
  const personBase = (sex: 'male' | 'female', familyName: string, givenName: string, middleName: string, born: string,
    withEmail: boolean, withPhone: boolean): PersonPlan => {
    const username = usernames.make(familyName, givenName, middleName);
    return {
      id: minter.next(), familyName, givenName, middleName, sex, birthDate: born, snils: snils.next(), username,
      emails: withEmail ? [`${username}@${domain}`] : [], phones: withPhone ? [phone(rng)] : [], enabled: true,
    };
  };
  const adult = (sex: 'male' | 'female', surname: string, fromYear: number, toYear: number, withEmail: boolean) => {
    const father = rng.pick(MALE_NAMES);
    const given = sex === 'male' ? rng.pick(MALE_NAMES).name : rng.pick(FEMALE_NAMES);
    return personBase(sex, surnameFor(surname, sex), given, sex === 'male' ? father.son : father.daughter,
      birthDate(rng, fromYear, toYear), withEmail, true);
  };

  // Staff.
  const staff: StaffPlan[] = [
    { ...adult('female', rng.pick(SURNAMES), y1 - 60, y1 - 45, true), role: 'director' },
    { ...adult('female', rng.pick(SURNAMES), y1 - 55, y1 - 35, true), role: 'deputy_academic' },
    { ...adult('male', rng.pick(SURNAMES), y1 - 45, y1 - 25, true), role: 'administrator' },
  ];

  // Teachers are hired on demand.
  const teachers: TeacherPlan[] = [];
  const hire = (specialty: Specialty): number => {
    const sex = specialty === 'pe' || specialty === 'safety' || specialty === 'technology'
      ? (rng.chance(0.6) ? 'male' : 'female') : (rng.chance(0.12) ? 'male' : 'female');
    const p = adult(sex, rng.pick(SURNAMES), y1 - 63, y1 - 24, true);
    teachers.push({ ...p, idx: teachers.length, specialty, load: 0, hiredOn: `${rng.int(y1 - 25, y1 - 1)}-08-${rng.int(20, 31)}` });
    return teachers.length - 1;
  };
  const teacherFor = (specialty: Specialty, hours: number, not?: number): number => {
    let best = -1;
    for (const t of teachers) {
      if (t.specialty !== specialty || t.idx === not || t.load + hours > MAX_TEACHER_LOAD) continue;
      if (best < 0 || t.load < teachers[best].load) best = t.idx;
    }
    return best >= 0 ? best : hire(specialty);
  };

  // Pupils and families.
  const pupils: PupilPlan[] = [];
  const parents: ParentPlan[] = [];
  interface Family { surname: string; father: MaleName; parents: number[]; grades: number[] }
  const families: Family[] = [];
  const classes: ClassPlan[] = [];
  const sections: SectionPlan[] = [];
  let classCursor = 0;
  for (let grade = 1; grade <= 11; grade++) {
    for (let c = 0; c < opts.classesPerGrade; c++) {
      const size = opts.classSizes[classCursor++] ?? 0;
      const cls: ClassPlan = {
        idx: classes.length, id: minter.next(), grade, letter: CLASS_LETTERS[c % CLASS_LETTERS.length] + (c >= CLASS_LETTERS.length ? String(Math.floor(c / CLASS_LETTERS.length) + 1) : ''),
        title: '', pupils: [], classTeacher: -1, sections: [], units: [], days: [],
      };
      cls.title = `${grade}${cls.letter}`;
      classes.push(cls);
      for (let k = 0; k < size; k++) {
        const sex: 'male' | 'female' = rng.chance(0.5) ? 'male' : 'female';
        // Some pupils are siblings of a pupil in another grade: same surname, father and parents.
        let family: Family | undefined;
        if (families.length > 4 && rng.chance(0.12)) {
          const f = families[rng.int(0, families.length - 1)];
          if (!f.grades.includes(grade)) family = f;
        }
        if (!family) {
          const surname = rng.pick(SURNAMES);
          family = { surname, father: rng.pick(MALE_NAMES), parents: [], grades: [] };
          const bornFrom = y1 - grade - 6 - 40;
          const mother: ParentPlan = { ...adult('female', surname, bornFrom, bornFrom + 17, rng.chance(0.7)), idx: parents.length, relation: 'mother', digitalAccess: 'enabled' };
          mother.middleName = rng.pick(MALE_NAMES).daughter;
          parents.push(mother);
          family.parents.push(mother.idx);
          if (rng.chance(0.7)) {
            const father: ParentPlan = {
              ...personBase('male', surname, family.father.name, rng.pick(MALE_NAMES).son, birthDate(rng, bornFrom - 3, bornFrom + 15), rng.chance(0.5), true),
              idx: parents.length, relation: 'father', digitalAccess: 'enabled',
            };
            parents.push(father);
            family.parents.push(father.idx);
          }
          families.push(family);
        }
        family.grades.push(grade);
        const given = sex === 'male' ? rng.pick(MALE_NAMES).name : rng.pick(FEMALE_NAMES);
        const middle = sex === 'male' ? family.father.son : family.father.daughter;
        // Born between 1 Sep (Y−g−7) and 31 Aug (Y−g−6) of the year the class started grade 1.
        const born = addDays(`${y1 - grade - 6}-09-01`, rng.int(0, 364));
        const p = personBase(sex, surnameFor(family.surname, sex), given, middle, born, grade >= 5 && rng.chance(0.4), grade >= 5 && rng.chance(0.6));
        const ability = Math.min(4.9, Math.max(2.8, rng.normal(4.05, 0.45)));
        pupils.push({ ...p, idx: pupils.length, classIdx: cls.idx, grade, ability, beginDate: cal.year.startDate, subgroup: 0, parents: [...family.parents] });
        cls.pupils.push(pupils.length - 1);
      }
      // Journal order is alphabetical; English subgroups split the list in half.
      cls.pupils.sort((a, b) => pupils[a].familyName.localeCompare(pupils[b].familyName, 'ru')
        || pupils[a].givenName.localeCompare(pupils[b].givenName, 'ru') || a - b);
      cls.pupils.forEach((p, i) => { pupils[p].subgroup = i < Math.ceil(cls.pupils.length / 2) ? 0 : 1; });
    }
  }

  // A pupil leaves after the first half-year and another joins in January (enrollment dates, R-17).
  const mover = classes.find((c) => c.grade === 7 && c.pupils.length >= 3);
  if (mover) {
    const leaver = pupils[mover.pupils[1]];
    leaver.endDate = cal.halves[0].endDate;
    leaver.enabled = false;
  }
  const joiner = classes.find((c) => c.grade === 6 && c.pupils.length >= 3);
  if (joiner) pupils[joiner.pupils[joiner.pupils.length - 1]].beginDate = cal.halves[1].startDate;

  // One family refused digital access (weekly printout, R-30); a few have not decided yet.
  if (parents.length) {
    parents[Math.min(parents.length - 1, 3)].digitalAccess = 'refused';
    for (const p of parents) if (p.digitalAccess === 'enabled' && rng.chance(0.03)) p.digitalAccess = 'unknown';
  }

  // Sections and teachers.
  const subjectIds = new Map<string, string>();
  for (const cls of classes) {
    const subjects = subjectsForGrade(cls.grade);
    let primaryTeacher = -1;
    if (cls.grade <= 4) {
      primaryTeacher = hire('primary');
      cls.classTeacher = primaryTeacher;
    }
    const bySpecialty = new Map<Specialty, number>();
    for (const subject of subjects) {
      if (!subjectIds.has(subject.code)) subjectIds.set(subject.code, minter.next());
      const hours = subject.hours[cls.grade - 1];
      const split = subject.splitFrom !== undefined && cls.grade >= subject.splitFrom && cls.pupils.length >= 2;
      const unit: TimetableUnit = { subjectCode: subject.code, hours, sections: [], teachers: [] };
      const groups = split ? [0, 1] : [-1];
      for (const g of groups) {
        let teacher: number;
        if (cls.grade <= 4 && PRIMARY_TAUGHT_BY_CLASS_TEACHER.has(subject.code)) teacher = primaryTeacher;
        else if (g === 1) teacher = teacherFor(subject.specialty, hours, unit.teachers[0]);
        else if (g === -1 && bySpecialty.has(subject.specialty) && teachers[bySpecialty.get(subject.specialty)!].load + hours <= MAX_TEACHER_LOAD + 3) {
          teacher = bySpecialty.get(subject.specialty)!;
        } else teacher = teacherFor(subject.specialty, hours);
        if (g !== 1 && !bySpecialty.has(subject.specialty)) bySpecialty.set(subject.specialty, teacher);
        teachers[teacher].load += hours;
        const sec: SectionPlan = {
          idx: sections.length, id: minter.next(), classIdx: cls.idx, subject, teacher,
          pupils: g < 0 ? [...cls.pupils] : cls.pupils.filter((p) => pupils[p].subgroup === g),
          weeklyHours: hours,
          title: g < 0 ? `${cls.title} ${subject.title}` : `${cls.title} ${subject.title} (${SUBGROUPS[g]})`,
          perWeekday: [0, 0, 0, 0, 0],
        };
        if (g >= 0) sec.subgroup = SUBGROUPS[g];
        sections.push(sec);
        cls.sections.push(sec.idx);
        unit.sections.push(sec.idx);
        unit.teachers.push(teacher);
      }
      cls.units.push(unit);
    }
  }
  // Class teachers of grades 5–11: a teacher of the class who has no class yet (else anyone free, else a new hire).
  for (const cls of classes) {
    if (cls.grade <= 4) {
      teachers[cls.classTeacher].classTeacherOf = cls.idx;
      continue;
    }
    const own = cls.sections.map((s) => sections[s].teacher).filter((t) => teachers[t].classTeacherOf === undefined);
    const any = teachers.filter((t) => t.classTeacherOf === undefined && t.specialty !== 'primary').map((t) => t.idx);
    const t = own.length ? own[0] : any.length ? any[0] : hire('russian');
    teachers[t].classTeacherOf = cls.idx;
    cls.classTeacher = t;
  }

  // Timetable.
  const busy: TeacherBusy = new Set();
  let timetableClashes = 0;
  for (const cls of [...classes].reverse()) {
    const tt = buildTimetable(cls.units, rng.fork(`timetable/${cls.idx}`), busy);
    cls.days = tt.days;
    timetableClashes += tt.clashes;
    tt.days.forEach((units, d) => {
      for (const u of units) for (const s of cls.units[u].sections) sections[s].perWeekday[d]++;
    });
  }

  const shortName = `МБОУ СОШ № ${number}`;
  return {
    index, id, number, shortName,
    name: `Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № ${number}» городского округа Самара`,
    inn: syntheticInn(rng), ogrn: syntheticOgrn(rng), sessions, subjectIds,
    pupils, parents, teachers, staff, classes, sections, timetableClashes, domain,
  };
}
