// Keys a platform's connector does not know, in an instance's `options` and `auth`. The connectors' schemas drop
// unknown keys without a word, so a misspelt setting passed `config check` and was ignored: `timezone` for `timeZone`
// read ЭПОС's dates in the default zone, `refresh_token` for Дневник.ру's `refreshToken` stopped every run at its login.
// Only the key is named, never its value (it may be a secret).
import type * as z from 'zod';
import type { PlatformInstanceConfig } from './schema.js';

type Shape = Record<string, unknown>;
export interface UnknownKey { path: (string | number)[]; message: string }

/** Keys the gateway config holds outside `options`, though the connector's schema has them too. */
const GENERIC = new Set(['baseUrl', 'auth', 'rateLimit']);

const shapeOf = (schema: unknown): Shape | undefined => (schema as { shape?: Shape } | undefined)?.shape;

export function unknownPlatformKeys(schema: z.ZodType, inst: PlatformInstanceConfig): UnknownKey[] {
  const shape = shapeOf(schema);
  if (!shape) return [];
  const known = Object.keys(shape).filter((k) => !GENERIC.has(k));
  const problems: UnknownKey[] = Object.keys(inst.options).filter((k) => !known.includes(k)).map((k) => ({
    path: ['options', k], message: `unknown option "${k}" for platform ${inst.platform} (known: ${known.join(', ') || 'none'})`,
  }));
  const authShape = shapeOf(authVariant(shape.auth, inst.auth.kind));
  if (authShape) {
    const authKnown = Object.keys(authShape);
    for (const k of Object.keys(inst.auth).filter((key) => !authKnown.includes(key))) {
      problems.push({ path: ['auth', k], message: `unknown setting "${k}" for auth kind ${inst.auth.kind} of platform ${inst.platform} (known: ${authKnown.join(', ')})` });
    }
  }
  return problems;
}

/** The object schema of the auth kind `kind` in a connector's discriminated union of auth kinds, if it is one. */
function authVariant(auth: unknown, kind: string): unknown {
  const options = (auth as { def?: { options?: unknown[] } } | undefined)?.def?.options;
  return options?.find((o) => {
    const literal = shapeOf(o)?.kind as { def?: { values?: unknown[] } } | undefined;
    return literal?.def?.values?.includes(kind);
  });
}
