// Why a parent's login failed, as the page and the log say it. Four cases a person can act on: the parent cancelled
// at the provider; the provider did not answer (down, overloaded, a gateway's page in its place: try later, nothing to
// fix); the provider refused or its answer failed our checks (an operator looks at the reason); our own failure (the
// store, a bug). The log carries fixed words only — step, ESIA code, OAuth error, status, token problem — never a
// message text, a token, a code, a SNILS or a name (esia.md §8).
import { EsiaError } from '../auth/esia/errors.js';
import { TokenCheckError } from '../auth/esia/tokens.js';

export type LoginFailureKind = 'cancelled' | 'unavailable' | 'refused' | 'internal';

export interface LoginFailure {
  kind: LoginFailureKind;
  /** HTTP status of the page: 400 for a login that cannot succeed as it is, 502 when the provider did not answer. */
  status: number;
  message: string;
  /** Fields for the `login failed` log line. */
  log: Record<string, unknown>;
}

/** A word safe to log: an error name, an OAuth error code, an openid-client code. Anything else is left out. */
const word = (v: unknown): string | undefined => (typeof v === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(v) ? v : undefined);

/** openid-client's codes, and OAuth's, for a provider that did not answer as one (RFC 6749 §4.1.2.1). */
const OIDC_UNAVAILABLE = new Set(['OAUTH_TIMEOUT', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON', 'server_error', 'temporarily_unavailable']);

const MESSAGES: Record<'esia' | 'oidc', Record<LoginFailureKind, string>> = {
  esia: {
    cancelled: 'Вход отменён на Госуслугах.',
    unavailable: 'Госуслуги сейчас не отвечают. Попробуйте войти позже.',
    refused: 'Госуслуги не подтвердили вход. Попробуйте ещё раз; если ошибка повторится, сообщите в школу.',
    internal: 'Сервис входа временно недоступен. Попробуйте позже.',
  },
  oidc: {
    cancelled: 'Вход отменён.',
    unavailable: 'Сервис входа сейчас не отвечает. Попробуйте войти позже.',
    refused: 'Вход не подтверждён. Попробуйте ещё раз; если ошибка повторится, сообщите в школу.',
    internal: 'Сервис входа временно недоступен. Попробуйте позже.',
  },
};

const STATUS: Record<LoginFailureKind, number> = { cancelled: 400, unavailable: 502, refused: 400, internal: 500 };

function kindOf(e: unknown): { kind: LoginFailureKind; log: Record<string, unknown> } {
  if (e instanceof TokenCheckError) return { kind: 'refused', log: { problem: e.problem } };
  if (e instanceof EsiaError) {
    const log = { esiaStep: e.step, esiaCode: e.code, ...(word(e.oauthError) ? { reason: e.oauthError } : {}), ...(e.httpStatus ? { httpStatus: e.httpStatus } : {}) };
    return { kind: e.code === 'ESIA-007004' ? 'cancelled' : e.unavailable ? 'unavailable' : 'refused', log };
  }
  // openid-client (the generic provider): `code` is its own (OAUTH_*), `error` the provider's OAuth error.
  const err = (e ?? {}) as { name?: unknown; code?: unknown; error?: unknown; status?: unknown; cause?: unknown };
  const code = word(err.code);
  const error = word(err.error);
  const status = typeof err.status === 'number' ? err.status : undefined;
  const log = { ...(code ? { reason: code } : {}), ...(error ? { oauthError: error } : {}), ...(status ? { httpStatus: status } : {}) };
  if (err.name === 'AuthorizationResponseError' && error === 'access_denied') return { kind: 'cancelled', log };
  // A fetch that got no answer: undici's «fetch failed», its cause naming the socket's error (ECONNREFUSED, ENOTFOUND…).
  const unreachable = err.name === 'TypeError' && (e as Error).message === 'fetch failed';
  if (unreachable || OIDC_UNAVAILABLE.has(code ?? '') || OIDC_UNAVAILABLE.has(error ?? '') || (status ?? 0) >= 500) {
    return { kind: 'unavailable', log: { ...log, ...(unreachable ? { reason: word((err.cause as { code?: unknown } | undefined)?.code) ?? 'transport' } : {}) } };
  }
  return { kind: code?.startsWith('OAUTH_') || error ? 'refused' : 'internal', log };
}

export function loginFailure(e: unknown, provider: 'esia' | 'oidc'): LoginFailure {
  const { kind, log } = kindOf(e);
  return {
    kind, status: STATUS[kind], message: MESSAGES[provider][kind],
    log: { error: word((e as { name?: unknown } | null)?.name) ?? 'Error', kind, retry: kind === 'unavailable', ...log },
  };
}
