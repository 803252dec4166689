// The mapper's hot path: UUIDv5 natural ids and content hashes computed straight on node:crypto. They
// must equal src/model's naturalId/contentHashOf bit for bit — test/dnevnik/fast.test.ts checks that on
// random input, and every end-to-end comparison would show a drift as missing/different records.
// (The `uuid` package converts names byte by byte and canonicalJson sorts keys recursively: together
// they cost more per record than everything else the mapper does.)
import { createHash } from 'node:crypto';
import { GATEWAY_NAMESPACE } from '../../model/ids.js';
import { canonicalJson } from '../../model/hash.js';

const NS = Buffer.from(GATEWAY_NAMESPACE.replace(/-/g, ''), 'hex');
const HEX: string[] = Array.from({ length: 256 }, (_, i) => (i + 0x100).toString(16).slice(1));

function keyPart(p: string | number): string {
  return String(p).trim().normalize('NFC').toLowerCase();
}

/** Same value as `naturalId(entity, ...parts)` of src/model/ids.ts. */
export function fastNaturalId(entity: string, ...parts: (string | number)[]): string {
  let name = entity;
  for (const p of parts) name += `|${keyPart(p)}`;
  const b = createHash('sha1').update(NS).update(name, 'utf8').digest();
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  return `${HEX[b[0]]}${HEX[b[1]]}${HEX[b[2]]}${HEX[b[3]]}-${HEX[b[4]]}${HEX[b[5]]}-${HEX[b[6]]}${HEX[b[7]]}-${HEX[b[8]]}${HEX[b[9]]}-${HEX[b[10]]}${HEX[b[11]]}${HEX[b[12]]}${HEX[b[13]]}${HEX[b[14]]}${HEX[b[15]]}`;
}

export const fastLessonId = (sectionId: string, date: string, n: number) => fastNaturalId('lesson', sectionId, date, n);
export const fastWorkId = (lessonId: string, key: string) => fastNaturalId('work', lessonId, key);
export const fastMarkId = (studentId: string, lessonId: string, slot: number) => fastNaturalId('mark', studentId, lessonId, slot);
export const fastAttendanceId = (studentId: string, lessonId: string) => fastNaturalId('attendance_record', studentId, lessonId);
export const fastFinalMarkId = (studentId: string, sectionId: string, kind: string, periodId: string) => fastNaturalId('final_mark', studentId, sectionId, kind, periodId);

/** Same value as `contentHashOf(fields)`; flat values are serialised without recursion. */
export function fastContentHash(fields: Record<string, unknown>): string {
  const keys = Object.keys(fields).sort();
  let s = '{';
  let first = true;
  for (const k of keys) {
    const v = fields[k];
    if (v === undefined) continue;
    s += `${first ? '' : ','}${JSON.stringify(k)}:${v !== null && typeof v === 'object' ? canonicalJson(v) : JSON.stringify(v)}`;
    first = false;
  }
  return createHash('sha256').update(`${s}}`).digest('hex');
}
