import { describe, expect, it } from 'vitest';
import { fastContentHash, fastNaturalId } from '../../src/mappers/dnevnik/fast.js';
import { contentHashOf } from '../../src/model/hash.js';
import { naturalId } from '../../src/model/ids.js';
import { seededRandom } from '../../src/emulators/kit/faults.js';

const rnd = seededRandom(42);
const word = () => Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => ' АбвЁёZz09-+.|ßé'[Math.floor(rnd() * 15)]).join('');

describe('the mapper hot path equals the model bit for bit', () => {
  it('fastNaturalId = naturalId on random Cyrillic/Latin/number parts', () => {
    for (let i = 0; i < 2000; i++) {
      const parts = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => (rnd() < 0.3 ? Math.floor(rnd() * 100) : word()));
      expect(fastNaturalId('mark', ...parts)).toBe(naturalId('mark', ...parts));
    }
  });
  it('fastContentHash = contentHashOf on flat and nested fields with undefined and null', () => {
    for (let i = 0; i < 500; i++) {
      const f: Record<string, unknown> = { raw: word(), base: rnd() < 0.2 ? null : Math.floor(rnd() * 5), numeric: rnd() * 5, gone: undefined, ok: rnd() < 0.5 };
      if (rnd() < 0.5) f.nested = { b: word(), a: [1, undefined, { z: 1, y: undefined }] };
      expect(fastContentHash(f)).toBe(contentHashOf(f));
    }
  });
});
