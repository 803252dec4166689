// Name similarity proposes review candidates (never a merge): a near spelling scores high, a stranger scores 0.
import { describe, expect, it } from 'vitest';
import { nameScore } from '../../src/sync/similarity.js';

describe('nameScore', () => {
  it('a typo or ё/е in a long name is similar', () => {
    expect(nameScore({ familyName: 'Константинопольская', givenName: 'Александра', middleName: 'Вячеславовна' },
      { familyName: 'Константинопольская', givenName: 'Алесандра', middleName: 'Вячеславовна' })).toBeGreaterThan(0.95);
    expect(nameScore({ familyName: 'Пономарёв', givenName: 'Борис', middleName: 'Степанович' }, { familyName: 'Пономарев', givenName: 'Борис', middleName: 'Степанович' })).toBe(1);
  });

  it('two unrelated long names are not similar at all (the bounded distance used to rate them 0.8)', () => {
    expect(nameScore({ familyName: 'Пономарёв', givenName: 'Борис', middleName: 'Степанович' },
      { familyName: 'Покровский', givenName: 'Константин', middleName: 'Александрович' })).toBe(0);
    expect(nameScore({ familyName: 'Константинопольская', givenName: 'Александра', middleName: 'Вячеславовна' },
      { familyName: 'Кузнецова', givenName: 'Мария', middleName: 'Петровна' })).toBe(0);
  });
});
