// A journal page (class × subject × subgroup) as a section record: built the same way from a diary page whether the
// journal read (lessons) or the roster read (the school's structure) maps it, so both give one record, one hash.
import type { MapContext } from '../../connectors/mapping.js';
import type { CanonicalRecord } from '../../model/records.js';
import { sectionKey } from './codes.js';
import { idFor, make } from './context.js';

export function sectionRecord(ctx: MapContext, cls: string, subject: string, grp: string | undefined, yearId: string): CanonicalRecord {
  const key = sectionKey(cls, subject, grp);
  return make(ctx, 'section', idFor(ctx, 'section', key), 'section', key, {
    homeroomClassId: idFor(ctx, 'homeroom_class', cls), subjectId: idFor(ctx, 'subject', subject), subgroup: grp,
    weeklyHours: 0, academicYearId: yearId, periods: [], title: grp ? `${cls} ${subject} (${grp})` : `${cls} ${subject}`, scaleCode: 'ru5',
  });
}
