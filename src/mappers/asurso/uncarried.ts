// Business fields the asurso platform cannot carry (docs/platforms/asurso.md §"What is compared"): absent from
// every payload of the routes its connector reads, so a mapped record holds a default there. The
// end-to-end comparison leaves them out, and journal sync never raises a conflict over them.
import type { EntityName } from '../../model/enums.js';

export const ASURSO_UNCARRIED: Partial<Record<EntityName, readonly string[]>> = {
  person: ['birthDate', 'sex', 'emails', 'phones', 'username', 'identifiers', 'preferredGivenName', 'enabled'],
  academic_session: ['parentId', 'instructionalDays'],
  homeroom_class: ['classTeacherId'],
  subject: ['code', 'gradeLevels', 'subjectArea'],
  section: ['weeklyHours', 'periods'],
  enrollment: ['beginDate', 'endDate'],
  role_assignment: ['beginDate', 'endDate'],
  // Homework is read (a homework-type column, mappers/asurso/homework.ts) but not written: the declaration's `unwritable`.
  lesson: ['recordedAt', 'recordedBy'],
  mark: ['recordedAt', 'recordedBy', 'publishedToFamilyAt'],
  attendance_record: ['rawCode', 'minutesLate', 'recordedAt', 'recordedBy'],
  // The report shows the mark, not when it was set (its period's last day stands for it).
  final_mark: ['recordedAt'],
};
