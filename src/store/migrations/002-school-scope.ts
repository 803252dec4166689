// What a school's journal sync and push look up to judge its records (src/sync/rule-context.ts): its sections by
// homeroom class and its enrollments by section. Without these indexes each lookup scans every section and every
// enrollment of the region's store. Partial, so the hot paths (marks, attendance) pay nothing to maintain them.
export const name = 'school-scope';

export const sql = `
CREATE INDEX canonical_records_section_class ON canonical_records ((record->>'homeroomClassId')) WHERE entity = 'section';
CREATE INDEX canonical_records_enrollment_section ON canonical_records ((record->>'sectionId')) WHERE entity = 'enrollment';
`;
