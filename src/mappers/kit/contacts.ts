// A person's e-mails and phones as a platform payload gives them: the non-empty strings, kept as written (identity
// matching compares them normalised, src/model/identity.ts `contactKeys`). Anything else (null, a number, an
// object) is no contact: a malformed contact never costs the person.
export function contactsOf(emails: readonly unknown[], phones: readonly unknown[]): { emails: string[]; phones: string[] } {
  const strings = (xs: readonly unknown[]) => [...new Set(xs.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean))];
  return { emails: strings(emails), phones: strings(phones) };
}
