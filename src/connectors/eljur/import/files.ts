// The files of an ЭлЖур import package and their columns: one table read by the package builder, the
// README it writes and the support-side loader (the emulator's), so the three cannot disagree.
// `*_key` columns carry the gateway's canonical ids: the school's new ЭлЖур accounts keep them as the
// external id, which is how the import is verified record by record after it has been loaded.

export const PACKAGE_FORMAT = 'journal-gateway/eljur-import';
export const PACKAGE_VERSION = 1;

export const FILES = {
  'periods.csv': { title: 'Учебный год и учебные периоды', columns: ['period_key', 'name', 'kind', 'start', 'end'] },
  'staff.csv': { title: 'Учителя', columns: ['person_key', 'lastname', 'firstname', 'middlename', 'gender'] },
  'classes.csv': { title: 'Классы', columns: ['class_key', 'name', 'parallel', 'class_teacher_key', 'year_key'] },
  'pupils.csv': { title: 'Списки классов (ученики)', columns: ['person_key', 'lastname', 'firstname', 'middlename', 'gender', 'birthdate', 'class'] },
  'groups.csv': { title: 'Предметы классов и подгруппы (журнальные страницы)', columns: ['section_key', 'class', 'subject_key', 'subject', 'subgroup'] },
  'group_members.csv': { title: 'Состав подгрупп', columns: ['section_key', 'person_key'] },
  'lessons.csv': { title: 'Расписание и проведённые уроки (темы, домашние задания)', columns: ['lesson_key', 'section_key', 'date', 'lesson_number', 'start', 'end', 'teacher_key', 'topic', 'homework'] },
  'marks.csv': { title: 'Отметки', columns: ['lesson_key', 'person_key', 'slot', 'value', 'work_type', 'work_type_name', 'weight', 'date', 'comment'] },
  'attendance.csv': { title: 'Посещаемость (пропуски и опоздания)', columns: ['lesson_key', 'person_key', 'code'] },
  'final_marks.csv': { title: 'Итоговые отметки', columns: ['section_key', 'person_key', 'period_key', 'value'] },
} as const;
export type PackageFile = keyof typeof FILES;

/** Every file a package holds: the tables, manifest.json and README.md (build.ts). */
export const isPackageFileName = (name: string): boolean => name in FILES || name === 'manifest.json' || name === 'README.md';
