// src/sync/slot-order.ts: a pupil's pair of marks on two works of a lesson, read from a platform that numbers them in
// its column order, is renumbered to the store's order — and nothing else is touched.
import { expect, it } from 'vitest';
import type { CanonicalRecord } from '../../src/model/index.js';
import { inStoredSlotOrder } from '../../src/sync/slot-order.js';
import { SchoolFixture } from '../support/fixtures.js';

const f = new SchoolFixture();
const lesson = f.lesson();
// The store: oral answer first (slot 1, «4»), then the test (slot 2, «5»).
const oral = f.mark(lesson, '4', { workTypeCode: 'oral_answer', slot: 1 });
const test = f.mark(lesson, '5', { workTypeCode: 'test', slot: 2 });
const storeOf = (records: CanonicalRecord[]) => ({ getMany: async (ids: string[]) => new Map(records.filter((r) => ids.includes(r.id)).map((r) => [r.id, r])) });
/** The same two marks as a platform numbering the test's column first reads them. */
const readSwapped = () => [
  f.mark(lesson, '5', { workTypeCode: 'test', slot: 1 }), f.mark(lesson, '4', { workTypeCode: 'oral_answer', slot: 2 }),
];

it('a pair the store holds the other way round takes the store\'s ids and slots, equal in content', async () => {
  const read = readSwapped();
  expect(await inStoredSlotOrder(storeOf([oral, test]), read)).toBe(2);
  const byId = new Map(read.map((r) => [r.id, r]));
  expect(byId.get(oral.id)?.contentHash).toBe(oral.contentHash);
  expect(byId.get(test.id)?.contentHash).toBe(test.contentHash);
});

it('a pair in the store\'s order, a pair the store does not hold, or one the store deleted stays as read', async () => {
  const inOrder = [oral, test];
  expect(await inStoredSlotOrder(storeOf([oral, test]), [...inOrder])).toBe(0);
  const read = readSwapped();
  const ids = read.map((r) => r.id);
  expect(await inStoredSlotOrder(storeOf([]), read)).toBe(0);
  expect(await inStoredSlotOrder(storeOf([{ ...oral, status: 'deleted' } as CanonicalRecord, test]), read)).toBe(0);
  expect(read.map((r) => r.id)).toEqual(ids);
});

it('a first mark and its retake on one work are never renumbered', async () => {
  const first = f.mark(lesson, '2', { workTypeCode: 'oral_answer', slot: 1 });
  const retake = f.mark(lesson, '4', { workTypeCode: 'oral_answer', slot: 2 });
  expect(await inStoredSlotOrder(storeOf([retake, first]), [first, retake])).toBe(0);
});
