// jsonBatch: records' JSON as one `$n::jsonb` array parameter, serialised before the write that closes each record.
import { describe, expect, it } from 'vitest';
import { jsonBatch } from '../../src/store/json-batch.js';

const values = [
  { id: 'a', text: 'Ёлка «ёж» "quoted" \\ back\\slash\ttab\nline 😀 — конец' },
  { id: 'b', text: 'plain' },
  { id: 'c', text: '' },
];
const heads = values.map((v) => JSON.stringify(v).slice(0, -1));
const tail = (i: number) => `,"version":${100 + i}}`;
const expected = values.map((v, i) => ({ ...v, version: 100 + i }));

describe('jsonBatch', () => {
  it('PostgreSQL: jsonb\'s binary form, a version byte then the array\'s UTF-8, each record closed by its tail', () => {
    const batch = jsonBatch('postgres');
    for (const h of heads) batch.add(h);
    const param = batch.param(tail) as Buffer;
    expect(Buffer.isBuffer(param)).toBe(true);
    expect(param[0]).toBe(1);
    expect(JSON.parse(param.subarray(1).toString('utf8'))).toEqual(expected);
  });

  it('PGlite: the same array as text', () => {
    const batch = jsonBatch('pglite');
    for (const h of heads) batch.add(h);
    expect(JSON.parse(batch.param(tail) as string)).toEqual(expected);
  });

  it('grows past its first buffer, again and again, without losing or shifting a byte', () => {
    const batch = jsonBatch('postgres');
    // ~3 MB of two-byte text: the buffer grows several times, with records already in it.
    const many = Array.from({ length: 3_000 }, (_, i) => ({ id: `r${i}`, text: `${'Ж'.repeat(500)} ${i} 😀` }));
    for (const v of many) batch.add(JSON.stringify(v).slice(0, -1));
    const param = batch.param((i) => `,"version":${i}}`) as Buffer;
    expect(JSON.parse(param.subarray(1).toString('utf8'))).toEqual(many.map((v, i) => ({ ...v, version: i })));
  });

  it('an empty batch is an empty array', () => {
    expect(JSON.parse((jsonBatch('postgres').param(tail) as Buffer).subarray(1).toString('utf8'))).toEqual([]);
    expect(jsonBatch('pglite').param(tail)).toBe('[]');
  });
});
