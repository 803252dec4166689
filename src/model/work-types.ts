// The 25 work types of the weighted-mark system (seed 000, Положение о ЭКЖ §3.7) with their default
// weights. Codes are stable: platforms map their own type ids onto these codes; schools override weights.
export interface WorkTypeDefinition {
  code: string;
  nameRu: string;
  weight: number;
}

export const WORK_TYPES: readonly WorkTypeDefinition[] = [
  { code: 'norms', nameRu: 'Выполнение нормативов', weight: 80 },
  { code: 'admin_test', nameRu: 'ЗТУ Административная контрольная работа', weight: 90 },
  { code: 'dictation_grammar_task', nameRu: 'ЗТУ Грамматическое задание к диктанту', weight: 60 },
  { code: 'camp_or_hospital_mark', nameRu: 'ЗТУ Оценка, полученная на спорт. сборах/больнице', weight: 40 },
  { code: 'map_work', nameRu: 'ЗТУ Работа с картами', weight: 60 },
  { code: 'exam_style_test', nameRu: 'ЗТУ Тестирование по типу ОГЭ/ЕГЭ', weight: 80 },
  { code: 'control_copying', nameRu: 'Контрольное списывание', weight: 60 },
  { code: 'subject_dictation', nameRu: 'Предметный/Тематический диктант', weight: 60 },
  { code: 'creative_task', nameRu: 'Творческое задание', weight: 70 },
  { code: 'oral_answer', nameRu: 'Ответ на уроке', weight: 60 },
  { code: 'test', nameRu: 'Контрольная работа', weight: 80 },
  { code: 'diagnostic_test', nameRu: 'Диагностическая контрольная работа', weight: 80 },
  { code: 'independent_work', nameRu: 'Самостоятельная работа', weight: 60 },
  { code: 'lab_work', nameRu: 'Лабораторная работа', weight: 60 },
  { code: 'project', nameRu: 'Проект', weight: 75 },
  { code: 'thematic_work', nameRu: 'Тематическая работа', weight: 60 },
  { code: 'essay_report', nameRu: 'Реферат', weight: 40 },
  { code: 'dictation', nameRu: 'Диктант', weight: 80 },
  { code: 'composition', nameRu: 'Сочинение', weight: 80 },
  { code: 'presentation_retelling', nameRu: 'Изложение', weight: 80 },
  { code: 'practical_work', nameRu: 'Практическая работа', weight: 60 },
  { code: 'credit_test', nameRu: 'Зачёт', weight: 70 },
  { code: 'testing', nameRu: 'Тестирование', weight: 50 },
  { code: 'homework', nameRu: 'Домашнее задание', weight: 40 },
  { code: 'reading_technique', nameRu: 'Техника чтения', weight: 40 },
];

const byCode = new Map(WORK_TYPES.map((w) => [w.code, w]));
const byName = new Map(WORK_TYPES.map((w) => [normaliseTypeName(w.nameRu), w]));

export function workTypeByCode(code: string): WorkTypeDefinition | undefined {
  return byCode.get(code);
}

/** Finds a work type by its Russian name as platforms show it (case, ё/е and spacing ignored). */
export function workTypeByName(name: string): WorkTypeDefinition | undefined {
  return byName.get(normaliseTypeName(name));
}

function normaliseTypeName(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/** Weight in force for a school: its override when it has one, else the regional default. */
export function weightFor(code: string, overrides: Record<string, number> = {}): number | undefined {
  return overrides[code] ?? byCode.get(code)?.weight;
}
