// Учебный план of the synthetic school: subjects, weekly hours per grade (1–11, ФОП-like), which teacher
// specialty teaches them, lesson topics and homework patterns (Russian), and the work types that a
// subject uses for whole-class works. English is split into two subgroups from grade 2.

export type Specialty =
  | 'primary' | 'russian' | 'math' | 'informatics' | 'english' | 'history' | 'geography' | 'biology' | 'chemistry'
  | 'physics' | 'art' | 'music' | 'technology' | 'pe' | 'safety';

export interface SubjectDefinition {
  code: string;
  title: string;
  subjectArea: string;
  specialty: Specialty;
  /** Weekly hours by grade 1..11 (index 0 = grade 1); 0 = not taught. */
  hours: readonly number[];
  /** Split into «1 группа»/«2 группа» from this grade on. */
  splitFrom?: number;
  /** Lesson topics (Russian), cycled through the year. */
  topics: readonly string[];
  /** Homework patterns; `#` = a number, `$` = a page. Empty = usually «Не задано». */
  homework: readonly string[];
  /** Whole-class control work types, rotated (the `test` slot of the cadence). */
  control: readonly string[];
  /** Current whole-class work types (the `independent` slot of the cadence). */
  current: readonly string[];
  /** Homework check gives marks in this subject. */
  checksHomework: boolean;
}

export const SUBGROUPS = ['1 группа', '2 группа'] as const;

const s = (d: SubjectDefinition) => d;

export const SUBJECTS: readonly SubjectDefinition[] = [
  s({
    code: 'rus', title: 'Русский язык', subjectArea: 'Русский язык и литературное чтение', specialty: 'russian',
    hours: [5, 5, 5, 5, 5, 6, 4, 3, 3, 2, 2],
    topics: ['Звуки и буквы', 'Состав слова', 'Безударные гласные в корне', 'Правописание приставок', 'Имя существительное',
      'Склонение имён существительных', 'Имя прилагательное', 'Глагол', 'Спряжение глаголов', 'Местоимение', 'Наречие',
      'Причастный оборот', 'Деепричастный оборот', 'Словосочетание', 'Простое предложение', 'Сложное предложение',
      'Знаки препинания при однородных членах', 'Прямая речь', 'Развитие речи: текст и его признаки', 'Орфоэпические нормы'],
    homework: ['Упр. #, с. $', 'Упр. #, выучить правило на с. $', 'Упр. # (письменно)', 'Словарные слова на с. $, упр. #'],
    control: ['dictation', 'test', 'presentation_retelling', 'test'],
    current: ['independent_work', 'subject_dictation', 'testing', 'control_copying'],
    checksHomework: true,
  }),
  s({
    code: 'litread', title: 'Литературное чтение', subjectArea: 'Русский язык и литературное чтение', specialty: 'primary',
    hours: [4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0],
    topics: ['Устное народное творчество', 'Русские народные сказки', 'Басни И. А. Крылова', 'Стихи А. С. Пушкина',
      'Рассказы Л. Н. Толстого', 'Стихи о природе', 'Рассказы о животных', 'Сказки зарубежных писателей',
      'Произведения Н. Н. Носова', 'Поэзия С. Я. Маршака'],
    homework: ['Выразительное чтение с. $–$', 'Выучить стихотворение на с. $', 'Пересказ текста на с. $', 'Ответить на вопросы на с. $'],
    control: ['reading_technique', 'test'],
    current: ['independent_work', 'creative_task'],
    checksHomework: true,
  }),
  s({
    code: 'lit', title: 'Литература', subjectArea: 'Русский язык и литература', specialty: 'russian',
    hours: [0, 0, 0, 0, 3, 3, 2, 2, 3, 3, 3],
    topics: ['Мифы Древней Греции', 'Былины', 'Басни', 'А. С. Пушкин. Лирика', 'М. Ю. Лермонтов. Лирика',
      'Н. В. Гоголь. Повести', 'И. С. Тургенев. Рассказы', 'Н. А. Некрасов. Стихотворения', 'Л. Н. Толстой. Повести',
      'А. П. Чехов. Рассказы', 'Поэзия Серебряного века', 'М. А. Шолохов. Рассказы', 'Литература о войне',
      'А. Т. Твардовский. «Василий Тёркин»'],
    homework: ['Прочитать с. $–$, ответить на вопросы', 'Выучить наизусть отрывок на с. $', 'Подготовить пересказ главы #',
      'Письменный ответ на вопрос # на с. $'],
    control: ['composition', 'test', 'essay_report'],
    current: ['testing', 'creative_task', 'independent_work'],
    checksHomework: true,
  }),
  s({
    code: 'eng', title: 'Английский язык', subjectArea: 'Иностранный язык', specialty: 'english',
    hours: [0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3], splitFrom: 2,
    topics: ['Знакомство', 'Моя семья', 'Мой дом', 'Школьные предметы', 'Времена года и погода', 'Еда и напитки',
      'Покупки', 'Путешествия', 'Спорт и здоровье', 'Праздники англоязычных стран', 'Настоящее простое время',
      'Прошедшее простое время', 'Степени сравнения прилагательных', 'Будущее время', 'Модальные глаголы'],
    homework: ['Упр. #, с. $ (учебник)', 'Выучить новые слова на с. $', 'Рабочая тетрадь: упр. #, с. $', 'Прочитать и перевести текст на с. $'],
    control: ['test', 'testing'],
    current: ['independent_work', 'subject_dictation', 'project'],
    checksHomework: true,
  }),
  s({
    code: 'math', title: 'Математика', subjectArea: 'Математика и информатика', specialty: 'math',
    hours: [4, 4, 4, 4, 5, 5, 0, 0, 0, 0, 0],
    topics: ['Сложение и вычитание', 'Таблица умножения', 'Деление с остатком', 'Натуральные числа', 'Обыкновенные дроби',
      'Десятичные дроби', 'Проценты', 'Отношения и пропорции', 'Положительные и отрицательные числа', 'Координатная плоскость',
      'Периметр и площадь', 'Решение текстовых задач', 'Уравнения', 'Величины и их измерение'],
    homework: ['№ #, #', '№ # (а, б), с. $', 'Повторить правило на с. $, № #', 'Решить задачи № #, #'],
    control: ['test', 'thematic_work'],
    current: ['independent_work', 'testing'],
    checksHomework: true,
  }),
  s({
    code: 'alg', title: 'Алгебра', subjectArea: 'Математика и информатика', specialty: 'math',
    hours: [0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3],
    topics: ['Выражения и их преобразования', 'Линейная функция', 'Степень с натуральным показателем', 'Многочлены',
      'Формулы сокращённого умножения', 'Системы линейных уравнений', 'Квадратные корни', 'Квадратные уравнения',
      'Неравенства', 'Арифметическая прогрессия', 'Тригонометрические функции', 'Производная', 'Логарифмы'],
    homework: ['№ #, #, #', '§ #, № #', 'Повторить § #, решить № #', 'Карточка с заданиями, № #'],
    control: ['test', 'exam_style_test', 'credit_test'],
    current: ['independent_work', 'testing'],
    checksHomework: true,
  }),
  s({
    code: 'geom', title: 'Геометрия', subjectArea: 'Математика и информатика', specialty: 'math',
    hours: [0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2],
    topics: ['Начальные геометрические сведения', 'Треугольники', 'Признаки равенства треугольников',
      'Параллельные прямые', 'Четырёхугольники', 'Площадь многоугольников', 'Теорема Пифагора', 'Подобные треугольники',
      'Окружность', 'Векторы', 'Многогранники', 'Тела вращения'],
    homework: ['№ #, # (чертёж)', 'п. #, задачи № #, #', 'Выучить теорему п. #, № #'],
    control: ['test', 'credit_test'],
    current: ['independent_work', 'testing'],
    checksHomework: true,
  }),
  s({
    code: 'prob', title: 'Вероятность и статистика', subjectArea: 'Математика и информатика', specialty: 'math',
    hours: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    topics: ['Представление данных', 'Описательная статистика', 'Случайная изменчивость', 'Случайные события',
      'Вероятность события', 'Элементы комбинаторики', 'Графы'],
    homework: ['№ #, #', 'п. #, вопросы на с. $'],
    control: ['test'],
    current: ['independent_work', 'practical_work'],
    checksHomework: true,
  }),
  s({
    code: 'inf', title: 'Информатика', subjectArea: 'Математика и информатика', specialty: 'informatics',
    hours: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    topics: ['Информация и информационные процессы', 'Устройство компьютера', 'Системы счисления', 'Кодирование информации',
      'Алгоритмы и исполнители', 'Язык программирования: переменные', 'Ветвления', 'Циклы', 'Электронные таблицы',
      'Базы данных', 'Компьютерные сети'],
    homework: ['§ #, вопросы 1–#', 'Практическое задание № #', '§ #, задание в рабочей тетради № #'],
    control: ['test', 'testing'],
    current: ['practical_work', 'project'],
    checksHomework: true,
  }),
  s({
    code: 'okr', title: 'Окружающий мир', subjectArea: 'Обществознание и естествознание', specialty: 'primary',
    hours: [2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0],
    topics: ['Наша Родина — Россия', 'Природа и её сезонные изменения', 'Растения', 'Животные', 'Человек и его здоровье',
      'Безопасность в быту', 'Родной край', 'Водоёмы', 'Полезные ископаемые', 'Страницы истории России'],
    homework: ['Рабочая тетрадь с. $, задания #', 'Прочитать с. $–$, ответить на вопросы', 'Подготовить сообщение по теме'],
    control: ['test', 'project'],
    current: ['testing', 'practical_work'],
    checksHomework: true,
  }),
  s({
    code: 'hist', title: 'История', subjectArea: 'Общественно-научные предметы', specialty: 'history',
    hours: [0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2],
    topics: ['Первобытность', 'Древний Египет', 'Древняя Греция', 'Древний Рим', 'Древнерусское государство',
      'Русские земли в период раздробленности', 'Россия при Иване Грозном', 'Смутное время', 'Эпоха Петра I', 'Россия в эпоху великих реформ',
      'Россия в начале двадцатого века', 'Великая Отечественная война', 'СССР в послевоенные годы'],
    homework: ['§ #, вопросы 1–# на с. $', '§ #, составить хронологическую таблицу', '§ #, работа с картой на с. $'],
    control: ['test', 'map_work', 'essay_report'],
    current: ['testing', 'independent_work', 'map_work'],
    checksHomework: true,
  }),
  s({
    code: 'soc', title: 'Обществознание', subjectArea: 'Общественно-научные предметы', specialty: 'history',
    hours: [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2],
    topics: ['Человек и общество', 'Семья', 'Образование', 'Экономика', 'Право', 'Государство', 'Гражданин и его права'],
    homework: ['§ #, вопросы на с. $', '§ #, задание # в рубрике «В классе и дома»'],
    control: ['test', 'essay_report'],
    current: ['testing', 'project'],
    checksHomework: true,
  }),
  s({
    code: 'geo', title: 'География', subjectArea: 'Общественно-научные предметы', specialty: 'geography',
    hours: [0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 1],
    topics: ['План и карта', 'Литосфера', 'Гидросфера', 'Атмосфера', 'Биосфера', 'Материки и океаны',
      'Природа России', 'Население России', 'Хозяйство России', 'Регионы России', 'Мировое хозяйство'],
    homework: ['§ #, контурная карта', '§ #, вопросы 1–#', '§ #, задание на с. $'],
    control: ['test', 'map_work'],
    current: ['practical_work', 'map_work', 'testing'],
    checksHomework: true,
  }),
  s({
    code: 'bio', title: 'Биология', subjectArea: 'Естественно-научные предметы', specialty: 'biology',
    hours: [0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1],
    topics: ['Биология — наука о живой природе', 'Строение клетки', 'Ткани', 'Растения', 'Бактерии и грибы',
      'Животные', 'Человек и его здоровье', 'Нервная система', 'Обмен веществ', 'Генетика', 'Эволюция'],
    homework: ['§ #, вопросы на с. $', '§ #, заполнить таблицу', '§ #, рисунок в тетради'],
    control: ['test', 'lab_work'],
    current: ['lab_work', 'testing'],
    checksHomework: true,
  }),
  s({
    code: 'phys', title: 'Физика', subjectArea: 'Естественно-научные предметы', specialty: 'physics',
    hours: [0, 0, 0, 0, 0, 0, 2, 2, 3, 2, 2],
    topics: ['Физические величины и их измерение', 'Строение вещества', 'Механическое движение', 'Плотность вещества',
      'Силы в природе', 'Давление', 'Работа и мощность', 'Тепловые явления', 'Электрический ток', 'Магнитное поле',
      'Световые явления', 'Законы Ньютона', 'Колебания и волны'],
    homework: ['§ #, упр. #', '§ #, задачи # и #', '§ #, подготовиться к лабораторной работе'],
    control: ['test', 'lab_work', 'credit_test'],
    current: ['lab_work', 'independent_work'],
    checksHomework: true,
  }),
  s({
    code: 'chem', title: 'Химия', subjectArea: 'Естественно-научные предметы', specialty: 'chemistry',
    hours: [0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1],
    topics: ['Первоначальные химические понятия', 'Атомы и молекулы', 'Химические реакции', 'Кислород и водород',
      'Растворы', 'Основные классы неорганических соединений', 'Периодический закон', 'Строение атома',
      'Металлы', 'Неметаллы', 'Органические вещества'],
    homework: ['§ #, упр. #', '§ #, задачи #, #', '§ #, составить уравнения реакций'],
    control: ['test', 'lab_work'],
    current: ['practical_work', 'independent_work'],
    checksHomework: true,
  }),
  s({
    code: 'art', title: 'Изобразительное искусство', subjectArea: 'Искусство', specialty: 'art',
    hours: [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
    topics: ['Рисунок с натуры', 'Цвет и настроение', 'Декоративно-прикладное искусство', 'Народные промыслы',
      'Пейзаж', 'Портрет', 'Натюрморт', 'Архитектура'],
    homework: [],
    control: ['creative_task'],
    current: ['creative_task', 'project'],
    checksHomework: false,
  }),
  s({
    code: 'music', title: 'Музыка', subjectArea: 'Искусство', specialty: 'music',
    hours: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
    topics: ['Музыка вокруг нас', 'Народная музыка', 'Русские композиторы', 'Музыкальный театр', 'Симфоническая музыка',
      'Музыка в кино', 'Песни о Родине'],
    homework: [],
    control: ['creative_task', 'testing'],
    current: ['creative_task'],
    checksHomework: false,
  }),
  s({
    code: 'tech', title: 'Труд (технология)', subjectArea: 'Технология', specialty: 'technology',
    hours: [1, 1, 1, 1, 2, 2, 2, 1, 1, 0, 0],
    topics: ['Материалы и инструменты', 'Работа с бумагой', 'Обработка древесины', 'Текстильные материалы',
      'Основы черчения', 'Робототехника', 'Кулинария', 'Проектная деятельность'],
    homework: [],
    control: ['practical_work', 'project'],
    current: ['practical_work'],
    checksHomework: false,
  }),
  s({
    code: 'pe', title: 'Физическая культура', subjectArea: 'Физическая культура', specialty: 'pe',
    hours: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
    topics: ['Лёгкая атлетика: бег на короткие дистанции', 'Прыжки в длину', 'Метание мяча', 'Гимнастика',
      'Акробатические упражнения', 'Лыжная подготовка', 'Баскетбол', 'Волейбол', 'Футбол', 'Общая физическая подготовка'],
    homework: [],
    control: ['norms'],
    current: ['norms', 'credit_test'],
    checksHomework: false,
  }),
  s({
    code: 'obzr', title: 'Основы безопасности и защиты Родины', subjectArea: 'Основы безопасности', specialty: 'safety',
    hours: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
    topics: ['Безопасность в быту', 'Безопасность на дорогах', 'Первая помощь', 'Чрезвычайные ситуации',
      'Основы военной службы', 'Защита Родины'],
    homework: ['§ #, вопросы на с. $', 'Подготовить сообщение по теме § #'],
    control: ['test'],
    current: ['testing', 'practical_work'],
    checksHomework: true,
  }),
  s({
    code: 'orkse', title: 'Основы религиозных культур и светской этики', subjectArea: 'ОРКСЭ', specialty: 'history',
    hours: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    topics: ['Россия — наша Родина', 'Культура и мораль', 'Праздники народов России', 'Семейные ценности', 'Милосердие'],
    homework: [],
    control: ['project'],
    current: ['creative_task'],
    checksHomework: false,
  }),
];

/** Primary-school subjects taught by the class teacher (grades 1–4). */
export const PRIMARY_TAUGHT_BY_CLASS_TEACHER = new Set(['rus', 'litread', 'math', 'okr', 'art', 'tech', 'orkse']);

export const SPECIALTY_TITLE: Record<Specialty, string> = {
  primary: 'учитель начальных классов', russian: 'учитель русского языка и литературы', math: 'учитель математики',
  informatics: 'учитель информатики', english: 'учитель английского языка', history: 'учитель истории и обществознания',
  geography: 'учитель географии', biology: 'учитель биологии', chemistry: 'учитель химии', physics: 'учитель физики',
  art: 'учитель изобразительного искусства', music: 'учитель музыки', technology: 'учитель труда (технологии)',
  pe: 'учитель физической культуры', safety: 'преподаватель-организатор ОБЗР',
};

export function subjectsForGrade(grade: number): SubjectDefinition[] {
  return SUBJECTS.filter((s) => s.hours[grade - 1] > 0);
}

/** Weekly load of a teacher above which the school hires another one of the specialty. */
export const MAX_TEACHER_LOAD = 27;

/** Subjects that hold September diagnostics and the spring administrative test. */
export const CORE_SUBJECTS = new Set(['rus', 'math', 'alg']);
