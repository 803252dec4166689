import { describe, expect, it } from 'vitest';
import { foldFor, foldOf, heldAs, type Fold } from '../../src/model/mark-spelling.js';

const ASURSO: Fold[] = ['modifier-dropped', 'owed-spelling', 'unknown-as-unexcused'];
const DNEVNIK: Fold[] = ['unexcused-as-unknown'];

describe('a value in a platform\'s own spelling', () => {
  const sor = { entity: 'mark', raw: '5-', modifier: 'minus', base: 5, numeric: 4.75, state: 'graded' };
  it('is the same mark when only the +/- is dropped (АСУ РСО holds integers)', () => {
    expect(foldOf(ASURSO, sor, { ...sor, raw: '5', modifier: 'none', numeric: 5 }, ['raw', 'modifier', 'numeric'])).toBe('modifier-dropped');
    expect(foldFor(ASURSO, sor)).toBe('modifier-dropped');
  });
  it('is another mark on a platform that holds modifiers (the fold is the platform\'s, not everyone\'s)', () => {
    expect(foldOf(DNEVNIK, sor, { ...sor, raw: '5', modifier: 'none', numeric: 5 }, ['raw', 'modifier', 'numeric'])).toBeUndefined();
    expect(foldFor(DNEVNIK, sor)).toBeUndefined();
  });
  it('is another mark when the base differs, when another field differs too, or when the platform added a modifier', () => {
    expect(foldOf(ASURSO, sor, { ...sor, raw: '4', modifier: 'none', base: 4, numeric: 4 }, ['raw', 'modifier', 'base', 'numeric'])).toBeUndefined();
    expect(foldOf(ASURSO, sor, { ...sor, raw: '5', modifier: 'none', numeric: 5 }, ['raw', 'modifier', 'numeric', 'comment'])).toBeUndefined();
    const plain = { entity: 'mark', raw: '5', modifier: 'none', base: 5, numeric: 5, state: 'graded' };
    expect(foldOf(ASURSO, plain, { ...plain, raw: '5-', modifier: 'minus', numeric: 4.75 }, ['raw', 'modifier', 'numeric'])).toBeUndefined();
    expect(foldFor(ASURSO, plain)).toBeUndefined();
  });
  it('an owed mark («точка») spelled «.» is the same owed mark', () => {
    const owed = { entity: 'mark', raw: '', modifier: 'none', base: null, state: 'owed' };
    expect(foldOf(ASURSO, owed, { ...owed, raw: '.' }, ['raw'])).toBe('owed-spelling');
    expect(foldOf(ASURSO, owed, { ...owed, raw: '.', state: 'graded' }, ['raw', 'state'])).toBeUndefined();
    expect(foldFor(ASURSO, { ...owed, raw: '.' })).toBeUndefined();
  });
  it('an absence\'s reason: АСУ РСО writes "no reason yet" as unexcused, Дневник.ру reads unexcused as no reason', () => {
    const absent = (reason: string) => ({ entity: 'attendance_record', kind: 'absent', reason });
    expect(foldOf(ASURSO, absent('unknown'), absent('unexcused'), ['reason'])).toBe('unknown-as-unexcused');
    expect(foldOf(DNEVNIK, absent('unexcused'), absent('unknown'), ['reason'])).toBe('unexcused-as-unknown');
    expect(foldOf(DNEVNIK, absent('unknown'), absent('unexcused'), ['reason'])).toBeUndefined();
    expect(foldOf(DNEVNIK, absent('illness'), absent('unknown'), ['reason'])).toBeUndefined();
    expect(foldFor(DNEVNIK, absent('unexcused'))).toBe('unexcused-as-unknown');
    expect(foldFor(DNEVNIK, { entity: 'attendance_record', kind: 'late', reason: 'unexcused' })).toBeUndefined();
  });
  it('a record as the platform will hold it is what its read gives back: the differing fields are that very fold', () => {
    type Given = { entity: string } & Record<string, unknown>;
    const cases: [Fold[], Given][] = [
      [ASURSO, sor],
      [ASURSO, { entity: 'mark', raw: '', modifier: 'none', base: null, state: 'owed' }],
      [ASURSO, { entity: 'attendance_record', kind: 'absent', reason: 'unknown' }],
      [DNEVNIK, { entity: 'attendance_record', kind: 'absent', reason: 'unexcused' }],
    ];
    for (const [folds, given] of cases) {
      const held: Given = heldAs(folds, given);
      const differing = Object.keys(given).filter((k) => held[k] !== given[k]);
      expect(differing.length).toBeGreaterThan(0);
      expect(foldOf(folds, given, held, differing)).toBe(foldFor(folds, given));
      // Held that way already: nothing further to fold.
      expect(foldFor(folds, held)).toBeUndefined();
    }
    expect(heldAs(ASURSO, sor)).toMatchObject({ raw: '5', modifier: 'none', base: 5, numeric: 5 });
    // A value the platform holds as given is left as it is.
    const plain = { entity: 'mark', raw: '5-', modifier: 'minus', base: 5, numeric: 4.75 };
    expect(heldAs(DNEVNIK, plain)).toBe(plain);
  });
});
