// The synthetic dataset every emulator renders (DECISIONS.md §6): deterministic from a seed, any size.
export {
  generateRecords, planDataset, resolveDatasetOptions, GRADES,
  type DatasetOptions, type ResolvedDatasetOptions, type DatasetPlan,
} from './generate.js';
export { generateSchool, accountsFor, passwordFor, SyntheticSchool, type DatasetAccount } from './school.js';
export { isValidSnils, snilsCheckDigits, normaliseSnils, formatSnils } from './snils.js';
export { buildCalendar, BELLS, type SchoolCalendar, type StudyDay, type Period } from './calendar.js';
export { SUBJECTS, SUBGROUPS, subjectsForGrade, type SubjectDefinition } from './curriculum.js';
export { Rng } from './rng.js';
export { feminineSurname, translit } from './names.js';
