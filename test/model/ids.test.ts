import { v5 as uuidv5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHashOf, GATEWAY_NAMESPACE, naturalId, sha256Hex } from '../../src/model/index.js';
import { canonicalJsonIn, contentHashIn, keyOrder } from '../../src/model/hash.js';
import { businessFields, businessHash, recomputeHash } from '../../src/model/records.js';

describe('fast ids and hashes equal the reference implementations', () => {
  const rnd = (n: number) => Array.from({ length: n }, () => Math.random().toString(36).slice(2));

  it('naturalId is RFC 9562 UUIDv5 (same as the uuid package) for any input', () => {
    for (let i = 0; i < 500; i++) {
      const parts = [...rnd(3), i, 'Группа ' + i];
      const expected = uuidv5(`mark|${parts.map((p) => String(p).trim().normalize('NFC').toLowerCase()).join('|')}`, GATEWAY_NAMESPACE);
      expect(naturalId('mark', ...parts)).toBe(expected);
    }
  });

  it('contentHashOf equals SHA-256 of the canonical JSON', () => {
    for (let i = 0; i < 300; i++) {
      const fields = { b: rnd(1)[0], a: i, n: null, u: undefined, nested: { z: [1, { y: 'ё', x: 2 }], a: true }, arr: rnd(2), f: i / 7 };
      expect(contentHashOf(fields)).toBe(sha256Hex(canonicalJson(fields)));
    }
  });

  it('contentHashOf of flat records (the fast path) equals SHA-256 of the canonical JSON, whatever the key order', () => {
    const odd: unknown[] = ['"quoted"', 'back\\slash', 'line\nbreak', 'Ёжик', '\u0001', '😀', '', 'lone \ud800', '\u2028\u007f', -0, NaN, Infinity, 1e21, 5e-7];
    for (let i = 0; i < 300; i++) {
      const fields: Record<string, unknown> = { zeta: odd[i % odd.length], 'we"ird\\key': odd[(i + 3) % odd.length], alpha: i, mid: i % 3 ? null : undefined, beta: i % 2 === 0, ...(i % 5 ? { late: i / 3 } : {}) };
      const reversed = Object.fromEntries(Object.entries(fields).reverse());
      expect(contentHashOf(fields)).toBe(sha256Hex(canonicalJson(fields)));
      expect(contentHashOf(reversed)).toBe(contentHashOf(fields));
    }
  });

  it('contentHashIn (keys known in advance) equals SHA-256 of the canonical JSON, canonicalJsonIn that JSON, also for keys it does not know', () => {
    const odd: unknown[] = ['"quoted"', 'Ёжик', 'lone \ud800', -0, NaN, 1e21, null, true, { nested: 1 }, [1, 2]];
    const order = keyOrder(['alpha', 'beta', 'zeta', 'mid'], ['id', 'provenance']);
    for (let i = 0; i < 200; i++) {
      const record: Record<string, unknown> = {
        id: `x${i}`, provenance: { system: 's' }, zeta: odd[i % odd.length], alpha: i, mid: i % 3 ? null : undefined,
        ...(i % 2 ? { beta: odd[(i + 4) % odd.length] } : {}),
        // A key the order does not list must still be hashed: a count tells the fast path to step aside.
        ...(i % 7 === 0 ? { unlisted: 'kept' } : {}),
      };
      const business = Object.fromEntries(Object.entries(record).filter(([k]) => k !== 'id' && k !== 'provenance'));
      expect(contentHashIn(record, order)).toBe(sha256Hex(canonicalJson(business)));
      expect(canonicalJsonIn(record, order)).toBe(canonicalJson(business));
    }
  });

  it('the store\'s recomputeHash and a mapper\'s businessHash agree with hashing the business fields', () => {
    const mark = {
      entity: 'mark', id: 'm1', status: 'active', version: 3, updatedAt: '2025-09-08T05:00:00.000Z', contentHash: 'x', sourceRefs: [], provenance: { system: 's' },
      studentId: 'p1', lessonId: 'l1', workId: 'w1', slot: 1, raw: '5', base: 5, modifier: 'none', numeric: 5, state: 'graded', weightApplied: 1,
      markDate: '2025-09-08', retakeOfMarkId: undefined, recordedAt: '2025-09-08T05:00:00.000Z', recordedBy: 't1',
    };
    const expected = sha256Hex(canonicalJson(businessFields(mark)));
    expect(recomputeHash(mark)).toBe(expected);
    expect(businessHash('mark', businessFields(mark))).toBe(expected);
    expect(recomputeHash({ ...mark, surprise: 'x' })).toBe(sha256Hex(canonicalJson({ ...businessFields(mark), surprise: 'x' })));
  });

  it('naturalId of long and non-ASCII names equals the uuid package', () => {
    const long = 'д'.repeat(3000);
    expect(naturalId('work', long, ' Spaced Key ')).toBe(uuidv5(`work|${long}|spaced key`, GATEWAY_NAMESPACE));
    expect(naturalId('work', 'Е\u0308ж')).toBe(uuidv5(`work|${'Е\u0308ж'.normalize('NFC').toLowerCase()}`, GATEWAY_NAMESPACE));
  });
});
