// `${VAR}` and `${VAR:-default}` in config string values, so secrets stay in the environment.
export interface SubstitutionProblem {
  path: string;
  variable: string;
}

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Walks a parsed YAML tree and substitutes variables; collects every missing variable with its path. */
export function substituteEnv(
  node: unknown,
  env: NodeJS.ProcessEnv,
  problems: SubstitutionProblem[],
  path: (string | number)[] = [],
): unknown {
  if (typeof node === 'string') {
    return node.replace(PATTERN, (_m, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      problems.push({ path: formatPath(path), variable: name });
      return '';
    });
  }
  if (Array.isArray(node)) return node.map((v, i) => substituteEnv(v, env, problems, [...path, i]));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substituteEnv(v, env, problems, [...path, k])]));
  }
  return node;
}

export function formatPath(path: readonly (string | number | symbol)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}
