// What a review merge looks up for the pupil it retires (src/sync/review.ts rekeyJournal): the pupil's marks, absences
// and final marks, written under the winner at once (a journal read re-keys only the days it reads again). Without these
// indexes each merge would read every mark of the store. They cost each journal write one more index entry.
export const name = 'journal-student';

export const sql = `
CREATE INDEX canonical_records_mark_student ON canonical_records ((record->>'studentId')) WHERE entity = 'mark';
CREATE INDEX canonical_records_attendance_student ON canonical_records ((record->>'studentId')) WHERE entity = 'attendance_record';
CREATE INDEX canonical_records_final_student ON canonical_records ((record->>'studentId')) WHERE entity = 'final_mark';
`;
