// The authority matrix (canonical-model.md §C.2 item 7): which system wins a disagreement per entity.
// Marks, attendance, lessons and final marks belong to the school's system of record (where teachers
// enter them); a different value read from another platform is kept as a `conflict`, not applied. So do the
// roster and persons (§C.2 item 7: "roster and persons: the school's system of record"): another platform adds what
// the system of record does not hold, and keeps up to date what it added, but never rewrites the system of
// record's class, subject or section — a platform that cannot carry a field (a section's weekly hours) would
// otherwise blank it every night until the system of record's next run wrote it back.
import type { EntityName } from '../model/enums.js';

export type Authority = 'system_of_record' | 'any';

export const AUTHORITY: Partial<Record<EntityName, Authority>> = {
  lesson: 'system_of_record',
  work: 'system_of_record',
  mark: 'system_of_record',
  attendance_record: 'system_of_record',
  final_mark: 'system_of_record',
  person: 'system_of_record',
  enrollment: 'system_of_record',
  organization: 'system_of_record',
  academic_session: 'system_of_record',
  homeroom_class: 'system_of_record',
  subject: 'system_of_record',
  section: 'system_of_record',
  role_assignment: 'system_of_record',
  guardian_link: 'system_of_record',
};

export function instanceWins(entity: EntityName, isSystemOfRecord: boolean): boolean {
  return isSystemOfRecord || (AUTHORITY[entity] ?? 'any') === 'any';
}
