// What a review merge looks up for the person it retires (src/sync/review.ts retireDependents): the person's role
// assignments, enrollments and guardian links. Without these indexes each merge read every one of them in the
// store — an operator accepting a 300-pupil school's 621 proposals waited ~90 s, a region's store far longer.
// Partial, so the hot paths (marks, attendance) pay nothing to maintain them.
export const name = 'person-references';

export const sql = `
CREATE INDEX canonical_records_role_person ON canonical_records ((record->>'personId')) WHERE entity = 'role_assignment';
CREATE INDEX canonical_records_enrollment_person ON canonical_records ((record->>'personId')) WHERE entity = 'enrollment';
CREATE INDEX canonical_records_guardian_student ON canonical_records ((record->>'studentId')) WHERE entity = 'guardian_link';
CREATE INDEX canonical_records_guardian_guardian ON canonical_records ((record->>'guardianId')) WHERE entity = 'guardian_link';
`;
