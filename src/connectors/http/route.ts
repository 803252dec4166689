// Route templates and queries as platforms.md writes them, turned into a request path. Kept apart from the
// client so the templates (which label metrics and errors) are filled one way everywhere.
import type { QueryValue } from './types.js';

/** Fills `{name}` / `:name` placeholders (URI-encoded). A missing parameter is a programming error. */
export function fillRoute(route: string, params: Record<string, string | number> = {}): string {
  return route.replace(/\{(\w+)\}|:(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    if (!(name in params)) throw new Error(`route ${route}: missing path parameter "${name}"`);
    return encodeURIComponent(String(params[name]));
  });
}

/** `a=1&a=2` query serialisation; null/undefined dropped. */
export function serializeQuery(query: Record<string, QueryValue> = {}): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const x of v) sp.append(k, String(x));
    else sp.append(k, String(v));
  }
  return sp.toString();
}
