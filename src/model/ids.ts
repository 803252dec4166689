// Three id layers (canonical-model.md §A.4): minted UUIDv7 for persons, organisations, sections and
// other long-lived records; deterministic UUIDv5 from the natural key for event records, so
// re-ingesting the same data yields the same ids and changes nothing.
import { createHash, hash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** Namespace of the gateway's deterministic ids. Changing it re-keys every event record: never do. */
export const GATEWAY_NAMESPACE = '5b0c1f3e-6a1d-4c41-9d0e-7f3a2c9b8e11';

/**
 * Mints a UUIDv7. A seeded generator may pass its own clock and random bytes so a synthetic school is
 * reproducible from its seed; production callers pass nothing.
 */
export function mintId(seeded?: { msecs: number; random: Uint8Array }): string {
  return seeded ? uuidv7({ msecs: seeded.msecs, random: seeded.random }) : uuidv7();
}

/** Case-folds and trims free-text key parts so case variants collapse (edfi-oneroster practice). */
function keyPart(p: string | number): string {
  if (typeof p === 'number') return String(p);
  // Printable ASCII without spaces (ids, dates, codes) needs no trimming or normalising.
  return PLAIN_ASCII.test(p) ? p.toLowerCase() : p.trim().normalize('NFC').toLowerCase();
}
const PLAIN_ASCII = /^[\x21-\x7e]*$/;

const NAMESPACE_BYTES = Buffer.from(GATEWAY_NAMESPACE.replace(/-/g, ''), 'hex');
// namespace bytes, then the name: one reusable buffer and node's one-shot hash (no Hash object per id).
const NAME_BUFFER = Buffer.allocUnsafe(4096);
NAMESPACE_BYTES.copy(NAME_BUFFER, 0);
/** The buffer past the namespace, for TextEncoder.encodeInto (cheaper than Buffer#write's offset checks). */
const NAME_TAIL = new Uint8Array(NAME_BUFFER.buffer, NAME_BUFFER.byteOffset + 16, NAME_BUFFER.length - 16);
const UTF8 = new TextEncoder();
/** NAME_BUFFER's first n bytes, one view per length made once (a subarray per id was a Buffer allocated per id). */
const PREFIXES: Buffer[] = [];
/** SHA-1 of namespace + name as 40 hex digits. Hex output: a Buffer result costs twice the hash itself. */
function sha1HexOfNamespaced(name: string): string {
  if (name.length * 3 > NAME_TAIL.length) return createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest('hex');
  const n = 16 + UTF8.encodeInto(name, NAME_TAIL).written;
  return hash('sha1', PREFIXES[n] ??= NAME_BUFFER.subarray(0, n), 'hex');
}
/** The variant nibble (RFC 9562: bits 10xx) of a hex digit. */
const VARIANT: Record<string, string> = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [i.toString(16), ((i & 0x3) | 0x8).toString(16)]));

/**
 * UUIDv5 (RFC 9562: SHA-1 of namespace + name) of `entity|part|part…`, computed straight on node:crypto —
 * the mapper's hot path (a 1,000-pupil year has ~600k event ids). test/model/ids.test.ts checks it
 * equals the `uuid` package's v5 bit for bit.
 */
export function naturalId(entity: string, ...parts: (string | number)[]): string {
  let name = entity;
  for (const p of parts) name += `|${keyPart(p)}`;
  const h = sha1HexOfNamespaced(name);
  // Version 5 in the 13th digit, the variant bits in the 17th; the rest is the digest's first 16 bytes.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${VARIANT[h[16]]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const lessonId = (sectionId: string, date: string, lessonNumber: number) => naturalId('lesson', sectionId, date, lessonNumber);
/** A work is keyed on its lesson column plus a per-lesson discriminator (work type or platform work key). */
export const workId = (lessonId: string, key: string) => naturalId('work', lessonId, key);
export const markId = (studentId: string, lessonId: string, slot: number) => naturalId('mark', studentId, lessonId, slot);
export const attendanceId = (studentId: string, lessonId: string) => naturalId('attendance_record', studentId, lessonId);
export const finalMarkId = (studentId: string, sectionId: string, kind: string, periodId: string) =>
  naturalId('final_mark', studentId, sectionId, kind, periodId);

/**
 * Deterministic id for a long-lived record known only by its platform id. Used by mappers, which are
 * pure and cannot mint: the crosswalk later maps (system, instance, entity, sourceId) to the canonical id.
 */
export const sourceScopedId = (system: string, instance: string, entity: string, sourceId: string) =>
  naturalId('source', system, instance, entity, sourceId);
