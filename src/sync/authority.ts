// The authority matrix (canonical-model.md §C.2 item 7): which system wins a disagreement per entity.
// Marks, attendance, lessons and final marks belong to the school's system of record (where teachers
// enter them); a different value read from another platform is kept as a `conflict`, not applied.
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
};

export function instanceWins(entity: EntityName, isSystemOfRecord: boolean): boolean {
  return isSystemOfRecord || (AUTHORITY[entity] ?? 'any') === 'any';
}
