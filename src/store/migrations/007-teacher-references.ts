// What a review merge of two teachers looks up for the teacher it retires (src/sync/merged-teacher.ts): the records
// stamped with that teacher — lessons (scheduled, substitute, who recorded them), marks, absences and final marks (who
// recorded them), classes (class teacher). Without these indexes each teacher merge would read every mark of the store,
// and adding a platform without birth dates (АСУ РСО) proposes every teacher of the school. They cost each journal write
// one more index entry (a mark, an absence; a lesson three), as 006 does for the pupil.
export const name = 'teacher-references';

export const sql = `
CREATE INDEX canonical_records_lesson_teacher ON canonical_records ((record->>'scheduledTeacherId')) WHERE entity = 'lesson';
CREATE INDEX canonical_records_lesson_substitute ON canonical_records ((record->>'substituteTeacherId')) WHERE entity = 'lesson';
CREATE INDEX canonical_records_lesson_recorded_by ON canonical_records ((record->>'recordedBy')) WHERE entity = 'lesson';
CREATE INDEX canonical_records_mark_recorded_by ON canonical_records ((record->>'recordedBy')) WHERE entity = 'mark';
CREATE INDEX canonical_records_attendance_recorded_by ON canonical_records ((record->>'recordedBy')) WHERE entity = 'attendance_record';
CREATE INDEX canonical_records_final_recorded_by ON canonical_records ((record->>'recordedBy')) WHERE entity = 'final_mark';
CREATE INDEX canonical_records_class_teacher ON canonical_records ((record->>'classTeacherId')) WHERE entity = 'homeroom_class';
`;
