// The fake ESIA's accounts. Synthetic only: the data a test or the demo registers.
export interface FakeEsiaKid {
  id: string;
  firstName: string;
  lastName: string;
  middleName?: string;
  /** ISO date; served as DD.MM.YYYY like the person resource. */
  birthDate: string;
  /** Formatted `000-000-600 06`, as ESIA shows it. */
  snils?: string;
}

export interface FakeEsiaAccount {
  oid: string;
  /** `urn:esia:sbj:is_tru`: a confirmed account. */
  trusted: boolean;
  firstName: string;
  lastName: string;
  middleName?: string;
  birthDate: string;
  snils?: string;
  kids: FakeEsiaKid[];
}

export function esiaDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

export function esiaSnils(digits: string): string {
  const d = digits.replace(/\D/g, '');
  return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${d.slice(9, 11)}`;
}
