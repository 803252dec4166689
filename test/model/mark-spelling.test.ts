import { describe, expect, it } from 'vitest';
import { foldedMark } from '../../src/model/mark-spelling.js';

describe('a mark in a platform\'s own spelling', () => {
  const sor = { entity: 'mark', raw: '5-', modifier: 'minus', base: 5, numeric: 4.75, state: 'graded' };
  it('is the same mark when only the +/- is dropped (АСУ РСО holds integers)', () => {
    expect(foldedMark(sor, { ...sor, raw: '5', modifier: 'none', numeric: 5 }, ['raw', 'modifier', 'numeric'])).toBe(true);
  });
  it('is another mark when the base differs, when another field differs too, or when the platform added a modifier', () => {
    expect(foldedMark(sor, { ...sor, raw: '4', modifier: 'none', base: 4, numeric: 4 }, ['raw', 'modifier', 'base', 'numeric'])).toBe(false);
    expect(foldedMark(sor, { ...sor, raw: '5', modifier: 'none', numeric: 5 }, ['raw', 'modifier', 'numeric', 'comment'])).toBe(false);
    const plain = { entity: 'mark', raw: '5', modifier: 'none', base: 5, numeric: 5, state: 'graded' };
    expect(foldedMark(plain, { ...plain, raw: '5-', modifier: 'minus', numeric: 4.75 }, ['raw', 'modifier', 'numeric'])).toBe(false);
  });
  it('an owed mark («точка») spelled «.» is the same owed mark', () => {
    const owed = { entity: 'mark', raw: '', modifier: 'none', base: null, state: 'owed' };
    expect(foldedMark(owed, { ...owed, raw: '.' }, ['raw'])).toBe(true);
    expect(foldedMark(owed, { ...owed, raw: '.', state: 'graded' }, ['raw', 'state'])).toBe(false);
  });
});
