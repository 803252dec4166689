// Business fields the dnevnik platform cannot carry (docs/platforms/dnevnik.md §"What is compared"): absent from
// every payload of the routes its connector reads, so a mapped record holds a default there. The
// end-to-end comparison leaves them out, and journal sync never raises a conflict over them.
import type { EntityName } from '../../model/enums.js';

export const DNEVNIK_UNCARRIED: Partial<Record<EntityName, readonly string[]>> = {
  person: ['emails', 'phones', 'username', 'identifiers', 'enabled'],
  academic_session: ['parentId', 'instructionalDays'],
  homeroom_class: ['classTeacherId'],
  subject: ['code', 'gradeLevels'],
  section: ['weeklyHours', 'periods'],
  enrollment: ['beginDate', 'endDate'],
  role_assignment: ['beginDate', 'endDate'],
  // homework: read from the lesson's homework works (text, due date), but «не задано» has no form on this platform.
  lesson: ['startTime', 'endTime', 'homework', 'recordedAt', 'recordedBy'],
  // Who set a mark, an absence or a final mark is not in its payload: the mapper puts the lesson's (or subject's)
  // teacher there, so a mark a substitute or the class teacher set would differ for ever in every comparison.
  mark: ['comment', 'recordedAt', 'recordedBy'],
  attendance_record: ['rawCode', 'minutesLate', 'recordedBy'],
  final_mark: ['computedAverage', 'isCurrent', 'recordedBy'],
  guardian_link: ['isLegalRepresentative', 'isPrimaryContact', 'livesWith', 'emergency', 'accessScope', 'digitalAccess', 'verifiedAt', 'verifiedBy'],
};
