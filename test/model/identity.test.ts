import { describe, expect, it } from 'vitest';
import { compositePersonKey, normaliseName, normalisePhone, normaliseSnils, snilsCheckNumber } from '../../src/model/identity.js';

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

  it('SNILS: digits only and a valid check number, else null', () => {
    const body = '112233445';
    const valid = `${body}${snilsCheckNumber(body)}`;
    expect(valid).toBe('11223344595');
    expect(normaliseSnils('112-233-445 95')).toBe(valid);
    expect(normaliseSnils('112-233-445 96')).toBeNull();
    expect(normaliseSnils('1234')).toBeNull();
  });

  it('phones go to E.164', () => {
    expect(normalisePhone('8 (846) 123-45-67')).toBe('+78461234567');
    expect(normalisePhone('+7 846 123 45 67')).toBe('+78461234567');
  });

  it('the composite key needs a birth date', () => {
    expect(compositePersonKey({ familyName: 'Тестов', givenName: 'Тест' }, 's')).toBeNull();
    expect(compositePersonKey({ familyName: 'Тёстов', givenName: 'Тест', birthDate: '2015-01-01' }, 's'))
      .toBe(compositePersonKey({ familyName: 'ТЕСТОВ', givenName: 'тест', birthDate: '2015-01-01' }, 's'));
  });
});
