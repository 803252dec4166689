// Reads a YAML config file, substitutes `${ENV}` variables and validates it. Every problem names the
// file, the line where YAML can tell it, and the exact path inside the document.
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { formatPath, substituteEnv, type SubstitutionProblem } from './env-substitution.js';
import { GatewayConfig } from './schema.js';
import { numbersWhereExpected, type TypedIssue } from './substituted-numbers.js';
import { readConfigText } from './read-config-file.js';

export { ConfigError, formatProblem, type ConfigProblem } from './config-error.js';

/**
 * A check beyond the gateway schema (a platform instance by its connector's schema, check-platforms.ts), given the
 * document after `${VAR}` substitution; its problems are reported with the file and line like the schema's.
 */
export type ConfigCheck = (raw: unknown) => (TypedIssue & { path: readonly (string | number)[]; message: string })[];

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env, checks: readonly ConfigCheck[] = []): GatewayConfig {
  return parseConfigText(readConfigText(file), file, env, checks);
}

export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env, checks: readonly ConfigCheck[] = []): GatewayConfig {
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *school-defaults`): how a region's hundreds of schools share their schedules and windows.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, merge: true });
  if (doc.errors.length > 0) {
    // The first syntax error only: the parser's later ones follow from it (one unquoted `${VAR}` inside `{ … }` made
    // some 170 lines), and they bury the line to fix.
    const first = doc.errors[0];
    const line = first.linePos?.[0]?.line;
    const lineText = line ? text.split('\n')[line - 1] ?? '' : '';
    // Quoted, a number setting takes it too: a substituted plain number counts as a number (substituted-numbers.ts).
    const hint = /\{[^}]*\$\{/.test(lineText) ? ' — a ${VARIABLE} inside { … } must be quoted: "${VARIABLE}" (a number setting accepts it quoted too)' : '';
    const more = doc.errors.length > 1 ? ` (the parser reports ${doc.errors.length - 1} more after it; fix this one first)` : '';
    throw new ConfigError([{ file, path: '', line, message: `YAML syntax: ${first.message.split('\n')[0]}${hint}${more}` }]);
  }
  const substitutionProblems: SubstitutionProblem[] = [];
  const numeric: (string | number)[][] = [];
  const substituted = substituteEnv(plainData(doc, file), env, substitutionProblems, numeric);
  const issuesOf = (r: unknown) => [...(GatewayConfig.safeParse(r).error?.issues ?? []), ...checks.flatMap((check) => check(r))];
  const raw = numbersWhereExpected(substituted, numeric, issuesOf);
  const problems: ConfigProblem[] = substitutionProblems.map((p) => ({
    file, path: p.path, line: lineOf(doc, lineCounter, p.path), message: `environment variable ${p.variable} is ${p.empty ? 'set but empty' : 'not set'}`,
  }));
  const parsed = GatewayConfig.safeParse(raw);
  const missing = new Set(substitutionProblems.map((p) => p.path));
  // The schema's problems and the other checks' in one list: fixing the first batch no longer uncovers a second.
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...checks.flatMap((check) => check(raw))];
  for (const issue of issues) {
    const path = formatPath(issue.path);
    if (missing.has(path)) continue; // already reported as an unset variable
    problems.push({ file, path, line: lineOf(doc, lineCounter, issue.path), message: issue.message });
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

const MAX_ALIASES = 20_000;

/**
 * The document as plain data. An alias inside its own anchor (`a: &x [*x]`) makes a value that contains itself: the
 * file's mistake, said as one, where walking it overflowed the stack.
 */
function plainData(doc: Document, file: string): unknown {
  // The yaml library's default (100 aliases) guards untrusted input against exponential expansion; a region's own file
  // with a merge key per school (hundreds of schools) passes it many times over.
  const data: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  const ancestors = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (ancestors.has(v)) throw new ConfigError([{ file, path: '', message: 'YAML: an alias (*name) inside the value its anchor (&name) names: the value would contain itself' }]);
    ancestors.add(v);
    for (const x of Object.values(v)) walk(x);
    ancestors.delete(v);
  };
  walk(data);
  return data;
}

function lineOf(doc: Document, counter: LineCounter, path: string | readonly PropertyKey[]): number | undefined {
  const keys = typeof path === 'string' ? splitPath(path) : path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let node: Node | null | undefined = doc.contents as Node | null;
  let line: number | undefined;
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((it) => String((it.key as { value?: unknown })?.value ?? it.key) === String(key));
      if (!pair) break;
      const keyNode = pair.key as Node | undefined;
      if (keyNode?.range) line = counter.linePos(keyNode.range[0]).line;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key] as Node | null;
      if (node?.range) line = counter.linePos(node.range[0]).line;
    } else break;
  }
  return line;
}

function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((\[\d+\])*)$/.exec(part);
    if (!m) { out.push(part); continue; }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}
