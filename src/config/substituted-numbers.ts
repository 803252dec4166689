// A number setting given as `"${VAR}"`: YAML cannot leave a `${VAR}` unquoted inside `{ … }`, and quoted it is a
// string, so `schoolId: "${SID}"` and `requestsPerSecond: "${RPS}"` look alike to the substitution. A substituted
// plain number becomes a number only where a check refused it for not being one: a password or a school id made of
// digits stays a string. A literal quoted "5" in the file is not substituted and stays an error.

/** A problem as zod words it: its path, and for a value of the wrong type the type that was expected. */
export interface TypedIssue {
  path: readonly PropertyKey[];
  code?: string;
  expected?: unknown;
}

/**
 * Rounds, not one pass: a platform's connector checks its options only once the instance passes the gateway schema
 * (check-platforms.ts), so `options.loginSchoolId` is asked for a number after `timeoutMs` became one.
 */
const MAX_ROUNDS = 3;

export function numbersWhereExpected(raw: unknown, numeric: readonly (string | number)[][], issuesOf: (raw: unknown) => readonly TypedIssue[]): unknown {
  let current = raw;
  const converted = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS && numeric.length > 0; round++) {
    const wanted = new Set(issuesOf(current).filter((i) => i.code === 'invalid_type' && i.expected === 'number').map((i) => key(i.path)));
    const now = numeric.filter((p) => wanted.has(key(p)) && !converted.has(key(p)));
    if (now.length === 0) break;
    for (const p of now) converted.add(key(p));
    current = withNumbers(current, now);
  }
  return current;
}

function withNumbers(raw: unknown, paths: readonly (string | number)[][]): unknown {
  const copy = structuredClone(raw);
  for (const path of paths) {
    let node = copy as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    node[last] = Number(node[last]);
  }
  return copy;
}

function key(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map((p) => (typeof p === 'symbol' ? String(p) : p)));
}
