// What picks one school's journal out of a regional store: its lessons, works and final marks by section, its marks
// and absences by lesson (the nightly backup's scope, src/backup/school-scope.ts; the yearly archive; a migration's
// records, src/sync/school-records.ts). Without these indexes each of those read every lesson, mark and absence of the
// region to keep one school's, so a region's nightly backups grew with the square of its schools. They cost each
// journal write one more index entry (issue 8's bench/migrate-package.ts measures the write path).
export const name = 'journal-scope';

export const sql = `
CREATE INDEX canonical_records_lesson_section ON canonical_records ((record->>'sectionId')) WHERE entity = 'lesson';
CREATE INDEX canonical_records_work_section ON canonical_records ((record->>'sectionId')) WHERE entity = 'work';
CREATE INDEX canonical_records_final_section ON canonical_records ((record->>'sectionId')) WHERE entity = 'final_mark';
CREATE INDEX canonical_records_mark_lesson ON canonical_records ((record->>'lessonId')) WHERE entity = 'mark';
CREATE INDEX canonical_records_attendance_lesson ON canonical_records ((record->>'lessonId')) WHERE entity = 'attendance_record';
`;
