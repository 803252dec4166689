// Roster entities (canonical-model.md §A.2.1–A.2.9).
import * as z from 'zod';
import { IanaZone, Instant, LocalDate } from '../dates.js';
import { entitySchema } from '../envelope.js';
import {
  AccessScope, DigitalAccess, EnrollmentRole, GuardianRelation, IdentifierKind, OrganizationType, Role, SessionKind, Sex,
} from '../enums.js';

const uuid = z.uuid();

export const Organization = entitySchema('organization', {
  name: z.string().min(1),
  shortName: z.string().optional(),
  type: OrganizationType,
  identifiers: z.array(z.strictObject({ kind: z.string().min(1), value: z.string().min(1) })).default([]),
  parentId: uuid.nullable().optional(),
  timeZone: IanaZone.optional(),
}).refine((o) => o.type !== 'school' || !!o.timeZone, { path: ['timeZone'], error: 'a school needs an IANA timeZone' });

export const AcademicSession = entitySchema('academic_session', {
  title: z.string().min(1),
  kind: SessionKind,
  startDate: LocalDate,
  endDate: LocalDate,
  schoolYear: z.number().int().min(2000).max(2100),
  parentId: uuid.nullable().optional(),
  organizationId: uuid,
  sequence: z.number().int().optional(),
  instructionalDays: z.number().int().optional(),
  isGradingPeriod: z.boolean(),
}).refine((s) => s.startDate <= s.endDate, { path: ['endDate'], error: 'endDate precedes startDate' });

export const PersonIdentifier = z.strictObject({
  kind: IdentifierKind,
  /** Normalised value (SNILS: 11 digits). Stored for matching; never logged (152-ФЗ). */
  value: z.string().min(1),
  /** Salted SHA-256 of the normalised value, used for matching without exposing the value. */
  valueHash: z.string().optional(),
  assignedBy: z.string().optional(),
  validFrom: LocalDate.optional(),
  validTo: LocalDate.optional(),
  verified: z.boolean().default(false),
});

export const Person = entitySchema('person', {
  familyName: z.string().min(1),
  givenName: z.string().min(1),
  middleName: z.string().optional(),
  preferredGivenName: z.string().optional(),
  birthDate: LocalDate.optional(),
  sex: Sex.optional(),
  emails: z.array(z.string()).default([]),
  phones: z.array(z.string()).default([]),
  username: z.string().optional(),
  enabled: z.boolean(),
  gradeLevel: z.number().int().min(1).max(11).optional(),
  identifiers: z.array(PersonIdentifier).default([]),
});

export const RoleAssignment = entitySchema('role_assignment', {
  personId: uuid,
  organizationId: uuid,
  role: Role,
  isPrimary: z.boolean(),
  beginDate: LocalDate.optional(),
  endDate: LocalDate.optional(),
});

export const GuardianLink = entitySchema('guardian_link', {
  studentId: uuid,
  guardianId: uuid,
  relation: GuardianRelation,
  isLegalRepresentative: z.boolean(),
  isPrimaryContact: z.boolean().optional(),
  livesWith: z.boolean().optional(),
  emergency: z.boolean().optional(),
  accessScope: AccessScope,
  digitalAccess: DigitalAccess,
  verifiedAt: Instant.optional(),
  verifiedBy: uuid.optional(),
});

export const HomeroomClass = entitySchema('homeroom_class', {
  gradeLevel: z.number().int().min(1).max(11),
  letter: z.string().min(1),
  title: z.string().min(1),
  academicYearId: uuid,
  organizationId: uuid,
  classTeacherId: uuid.optional(),
});

export const Subject = entitySchema('subject', {
  code: z.string().min(1),
  title: z.string().min(1),
  subjectArea: z.string().optional(),
  gradeLevels: z.array(z.number().int().min(1).max(11)).default([]),
  organizationId: uuid,
  schoolYear: z.number().int(),
});

export const Section = entitySchema('section', {
  homeroomClassId: uuid,
  subjectId: uuid,
  subgroup: z.string().nullable().optional(),
  weeklyHours: z.number().nonnegative(),
  academicYearId: uuid,
  periods: z.array(uuid).default([]),
  title: z.string().min(1),
  /** Mark scale code used by this journal page; `ru5` unless a platform says otherwise. */
  scaleCode: z.string().default('ru5'),
});

export const Enrollment = entitySchema('enrollment', {
  personId: uuid,
  sectionId: uuid,
  role: EnrollmentRole,
  isPrimary: z.boolean(),
  beginDate: LocalDate,
  endDate: LocalDate.optional(),
});
