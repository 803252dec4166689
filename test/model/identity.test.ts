import { describe, expect, it } from 'vitest';
import { compositePersonKey, contactKeys, normaliseName, normalisePhone, normaliseSnils, snilsCheckNumber } from '../../src/model/identity.js';

describe('identity normalisation (canonical-model.md §C.3)', () => {
  it('ё/е, case, spaces and Latin look-alikes compare equal', () => {
    expect(normaliseName('  Алёна ')).toBe(normaliseName('АЛЕНА'));
    // "Сорокин" typed with a Latin "С", "о" and "к"
    expect(normaliseName('Coрoкин')).toBe(normaliseName('Сорокин'));
    expect(normaliseName('Петрова - Водкина')).toBe(normaliseName('петрова-водкина'));
    expect(normaliseName('Петрова Водкина')).toBe(normaliseName('Петрова-Водкина'));
    expect(normaliseName('Иванов')).not.toBe(normaliseName('Иванова'));
  });

  it('a Latin-only name keeps its letters', () => {
    expect(normaliseName('Smith')).toBe('smith');
  });

  it('what keyboards and word processors put into names compares equal too', () => {
    expect(normaliseName('Ал\u00ebна')).toBe(normaliseName('Алена')); // Latin ë typed for ё
    expect(normaliseName('Андре\u0438\u0306')).toBe(normaliseName('Андрей')); // й decomposed
    for (const dash of ['\u2212', '\u2012', '\u2013', '\u2014', '\u2011']) expect(normaliseName(`Петрова${dash}Водкина`)).toBe(normaliseName('Петрова-Водкина'));
    for (const invisible of ['\u200b', '\u00ad', '\ufeff', '\u200d']) expect(normaliseName(`Иван${invisible}ов`)).toBe(normaliseName('Иванов'));
    expect(normaliseName('Петрова\u00a0Водкина')).toBe(normaliseName('Петрова-Водкина')); // no-break space
    // A whole name typed in Latin look-alikes (every letter has a Cyrillic twin) is the Cyrillic name.
    expect(normaliseName('AHHA')).toBe(normaliseName('Анна'));
    expect(normaliseName('EBA')).toBe(normaliseName('Ева'));
  });

  it('an apostrophe is one character whichever a keyboard or a word processor typed', () => {
    // «Мар'яна» typed on one platform, «Мар’яна» pasted from a document on another: one pupil, not two with a review item.
    for (const apostrophe of ['\u2019', '\u02bc', '\u2018', '`', '\u00b4', '\u2032']) expect(normaliseName(`Мар${apostrophe}яна`)).toBe(normaliseName("Мар'яна"));
    expect(compositePersonKey({ familyName: 'О’Коннор', givenName: 'Мар’яна', birthDate: '2015-04-04' }, 's')).toBe(compositePersonKey({ familyName: "О'Коннор", givenName: "Мар'яна", birthDate: '2015-04-04' }, 's'));
  });

  it('SNILS: digits only and a valid check number, else null', () => {
    const body = '112233445';
    const valid = `${body}${snilsCheckNumber(body)}`;
    expect(valid).toBe('11223344595');
    expect(normaliseSnils('112-233-445 95')).toBe(valid);
    expect(normaliseSnils('112-233-445 96')).toBeNull();
    expect(normaliseSnils('1234')).toBeNull();
  });

  it('SNILS without a check number (up to 001-001-998), placeholders included, identifies nobody', () => {
    expect(normaliseSnils('000-000-000 00')).toBeNull();
    expect(normaliseSnils('001-001-998 00')).toBeNull();
    const first = `001001999${snilsCheckNumber('001001999')}`; // the first number that carries a check number
    expect(normaliseSnils(first)).toBe(first);
  });

  it('phones go to E.164', () => {
    expect(normalisePhone('8 (846) 123-45-67')).toBe('+78461234567');
    expect(normalisePhone('+7 846 123 45 67')).toBe('+78461234567');
  });

  it('contact keys: e-mail lower-case, phone E.164; empty, short and placeholder values name no one', () => {
    expect(contactKeys({ emails: [' O.Ivanova@School.RU '], phones: ['8 (912) 345-67-89', '+7 912 345 67 89'] }))
      .toEqual(['email:o.ivanova@school.ru', 'phone:+79123456789']);
    expect(contactKeys({ emails: ['', 'нет', 'a@b'], phones: ['', '-', '123', '+7 000 000-00-00', '8 999 999-99-99'] })).toEqual([]);
  });

  it('the composite key needs a birth date', () => {
    expect(compositePersonKey({ familyName: 'Тестов', givenName: 'Тест' }, 's')).toBeNull();
    expect(compositePersonKey({ familyName: 'Тёстов', givenName: 'Тест', birthDate: '2015-01-01' }, 's'))
      .toBe(compositePersonKey({ familyName: 'ТЕСТОВ', givenName: 'тест', birthDate: '2015-01-01' }, 's'));
  });
});
