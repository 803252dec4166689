// `${VAR}` and `${VAR:-default}` in config string values, so secrets stay in the environment.
export interface SubstitutionProblem {
  path: string;
  variable: string;
  /** Set, but to the empty string (`PW=` in an environment file): "not set" sent the operator to a variable that was. */
  empty?: boolean;
}

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

const WHOLE_VALUE = new RegExp(`^${PATTERN.source}$`);
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Walks a parsed YAML tree and substitutes variables; collects every missing variable with its path. A value that is
 * one `${VAR}` and nothing else and came out a plain integer or decimal is listed in `numeric`: it may stand where
 * the schema wants a number (substituted-numbers.ts), as YAML cannot leave `{ port: ${PORT} }` unquoted.
 */
export function substituteEnv(
  node: unknown,
  env: NodeJS.ProcessEnv,
  problems: SubstitutionProblem[],
  numeric: (string | number)[][] = [],
  path: (string | number)[] = [],
): unknown {
  if (typeof node === 'string') {
    const value = node.replace(PATTERN, (_m, name: string, fallback: string | undefined) => {
      const set = env[name];
      if (set !== undefined && set !== '') return set;
      if (fallback !== undefined) return fallback;
      problems.push({ path: formatPath(path), variable: name, ...(set === '' ? { empty: true } : {}) });
      return '';
    });
    if (path.length > 0 && WHOLE_VALUE.test(node) && PLAIN_NUMBER.test(value)) numeric.push(path);
    return value;
  }
  if (Array.isArray(node)) return node.map((v, i) => substituteEnv(v, env, problems, numeric, [...path, i]));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substituteEnv(v, env, problems, numeric, [...path, k])]));
  }
  return node;
}

export function formatPath(path: readonly (string | number | symbol)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}
