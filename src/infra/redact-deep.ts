// Personal data and secrets by key name at any depth of a log line (152-ФЗ). pino's path redaction matches fixed
// paths (`*.familyName` is one level deep), so a record logged inside a summary or an array of pupils would pass it;
// this walk censors every key below whatever its depth, in the platforms' spellings too (snake_case, lower case).

/** Key names compared lower-cased with `_` and `-` removed: `first_name`, `firstName` and `firstname` are one. */
const SENSITIVE = new Set([
  // secrets
  'password', 'pw', 'pw2', 'token', 'accesstoken', 'refreshtoken', 'authtoken', 'authenticationtoken', 'idtoken',
  'authorization', 'cookie', 'setcookie', 'clientsecret', 'secret', 'connectiontoken',
  // people (canonical and the four platforms' payload spellings)
  'familyname', 'givenname', 'middlename', 'firstname', 'lastname', 'fullname', 'shortname', 'nickname', 'patronymic',
  'birthdate', 'birthday', 'dateofbirth', 'snils', 'identifiers', 'email', 'phone', 'mobilephone', 'phonenumber',
]);
const CENSOR = '[redacted]';
const MAX_DEPTH = 10;

const normalised = (key: string) => key.toLowerCase().replace(/[_-]/g, '');

/**
 * `value` with every sensitive key's value replaced, copied only where something changed (the caller's objects are
 * never modified). Errors, dates and buffers are left to pino's serializers.
 */
export function redactDeep<T>(value: T, depth = 0, seen = new WeakSet<object>()): T {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error || value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const r = redactDeep(item, depth + 1, seen);
      if (r !== item) (out ??= [...value])[i] = r;
    });
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const r = v !== undefined && v !== null && SENSITIVE.has(normalised(k)) ? CENSOR : redactDeep(v, depth + 1, seen);
    if (r !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = r;
  }
  return (out ?? value) as T;
}
