// `web.staff`: the staff accounts of the web server (regional operators, school administrators). A password
// is never in the file: the config holds its scrypt hash, or names the environment variable that holds the hash.
import * as z from 'zod';
import { parsePasswordHash } from './password.js';

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'an environment variable name, e.g. JG_STAFF_IVANOVA_HASH' });

export const StaffAccountConfig = z.strictObject({
  login: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, { error: '2…64 lower-case Latin letters, digits, ".", "_" or "-"' }),
  /** scrypt$N$r$p$salt$key from `journal-gateway staff hash-password`. */
  passwordHash: z.string().optional().superRefine((v, ctx) => {
    if (v === undefined) return;
    try {
      parsePasswordHash(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  }),
  /** Environment variable holding the hash (checked when the server starts). */
  passwordHashEnv: EnvName.optional(),
  /** `all` (a regional operator) or the schools this account sees: ids from `schools[]` or canonical organization ids. */
  schools: z.union([z.literal('all'), z.array(z.string().min(1)).min(1, { error: 'list at least one school, or write `all`' })]),
}).superRefine((a, ctx) => {
  if ((a.passwordHash === undefined) === (a.passwordHashEnv === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['passwordHash'], message: 'set exactly one of passwordHash and passwordHashEnv' });
  }
});

export type StaffAccountConfig = z.infer<typeof StaffAccountConfig>;

/** Duplicate logins, checked where the whole list is known. */
export function duplicateLogins(accounts: readonly StaffAccountConfig[]): number[] {
  const seen = new Set<string>();
  return accounts.flatMap((a, i) => (seen.has(a.login) ? [i] : (seen.add(a.login), [])));
}
