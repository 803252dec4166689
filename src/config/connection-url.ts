// The store's and Redis's URLs are parsed as the drivers parse them (WHATWG URL, then the user and password
// percent-decoded) when the configuration is checked: a password holding `#`, `%`, `/` or `?` as it is — a generated
// one often does — passed `config check`, and then every command stopped with `TypeError: Invalid URL` or
// `URIError: URI malformed` (exit 1), naming neither the setting nor the cause. The message never repeats the URL: it
// holds the password.
import type * as z from 'zod';

const ENCODE = 'a # ? / @ : % or space in the user name or password must be percent-encoded (# → %23, ? → %3F, / → %2F, @ → %40, : → %3A, % → %25)';

/** What is wrong with a connection URL, or undefined when the driver can read it (an empty one is the default). */
export function connectionUrlProblem(value: string): string | undefined {
  if (!value || value.startsWith('redis+unix://')) return undefined;
  // Without a scheme the setting's own shape check says what is wanted; one message is enough.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `not a URL the driver can read: ${ENCODE}; the port is a number up to 65535`;
  }
  // `#` starts the URL's fragment: what follows it (the rest of a password, the host) is silently dropped.
  if (u.hash) return `the URL holds a # (the rest of it would be ignored): ${ENCODE}`;
  try {
    decodeURIComponent(u.username);
    decodeURIComponent(u.password);
  } catch {
    return `the user name or password holds a % that is not percent-encoding: ${ENCODE}`;
  }
  return undefined;
}

/** A zod check adding the problem at the value's own path. */
export const readableConnectionUrl = (value: string | undefined, ctx: z.RefinementCtx): void => {
  const problem = value === undefined ? undefined : connectionUrlProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};
