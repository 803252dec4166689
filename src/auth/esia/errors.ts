// ESIA error codes (esia.md §7, from go-api-epgu esia/aas/errors.go) and the one error type the login
// code throws. Messages say what an operator can do; they never carry a code, token, SNILS or name.

export const ESIA_ERRORS: Record<string, { meaning: string; action: string; retry: boolean }> = {
  'ESIA-007002': { meaning: 'сертификат не соответствует мнемонике системы', action: 'bind the certificate to the system on the tech portal', retry: false },
  'ESIA-007003': { meaning: 'параметр отсутствует, неверен или повторяется', action: 'check the request parameters', retry: false },
  'ESIA-007004': { meaning: 'владелец ресурса или сервис авторизации отказал в доступе', action: 'the user declined or was refused; start the login again', retry: false },
  'ESIA-007005': { meaning: 'системе не разрешено получать маркер этим способом', action: 'check the mnemonic (client_id) and that the certificate is bound', retry: false },
  'ESIA-007006': { meaning: 'неверная или неизвестная область доступа (scope)', action: 'request only scopes approved for the system', retry: false },
  'ESIA-007007': { meaning: 'непредвиденная ошибка сервиса авторизации', action: 'retry later', retry: true },
  'ESIA-007008': { meaning: 'сервис перегружен или на обслуживании', action: 'retry later', retry: true },
  'ESIA-007009': { meaning: 'способ получения маркера не поддерживается', action: 'check grant_type', retry: false },
  'ESIA-007011': { meaning: 'код или маркер обновления неверен, истёк, отозван или выдан другой системе', action: 'start the login again', retry: false },
  'ESIA-007012': { meaning: 'тип кода авторизации не поддерживается', action: 'use response_type=code', retry: false },
  'ESIA-007013': { meaning: 'в запросе нет области доступа', action: 'send scope', retry: false },
  'ESIA-007014': { meaning: 'отсутствует обязательный параметр', action: 'send every mandatory parameter, as a form body on /v3/te', retry: false },
  'ESIA-007015': { meaning: 'неверное время запроса', action: 'synchronise the clock (NTP) and check the timestamp format', retry: false },
  'ESIA-007019': { meaning: 'нет прав доступа', action: 'request access to the scope on the tech portal', retry: false },
  'ESIA-007023': { meaning: 'redirect_uri не входит в список разрешённых для системы', action: 'register the exact redirect URI; keep it identical in ac and te', retry: false },
  'ESIA-007038': { meaning: 'невозможно прочитать параметры запроса', action: 'check the encoding of the request', retry: false },
  'ESIA-007039': { meaning: 'в исходном запросе /v2/ac не было code_challenge', action: 'send PKCE in both requests or in neither', retry: false },
  'ESIA-007040': { meaning: 'проверка PKCE не пройдена', action: 'send the verifier of the original challenge', retry: false },
  'ESIA-007046': { meaning: 'scope требует одноразовый пароль, недоступный пользователю', action: 'drop the scope or ask the user to enable OTP', retry: false },
  'ESIA-007053': { meaning: 'client_secret неверен или не соответствует сертификату/системе', action: 'check the signed string order, the GOST certificate hash and that the certificate is active', retry: false },
  'ESIA-007055': { meaning: 'вход с неподтверждённой учётной записью', action: 'the parent must confirm the Госуслуги account', retry: false },
  'ESIA-007060': { meaning: 'неверный параметр roles', action: 'check roles', retry: false },
  'ESIA-007061': { meaning: 'неверный параметр obj_type', action: 'check obj_type', retry: false },
  'ESIA-007062': { meaning: 'неверный тип пользователя или роль', action: 'check the user type', retry: false },
  'ESIA-007194': { meaning: 'область организации для организации, где пользователь не работает', action: 'drop scope_org', retry: false },
  'ESIA-008010': { meaning: 'аутентификация системы не пройдена', action: 'check the client certificate and signature', retry: false },
};

/** Pulls `ESIA-0070xx` out of an error_description such as `ESIA-007014: The request doesn't contain…`. */
export function esiaErrorCode(description: string | undefined | null): string | null {
  const m = /ESIA-\d{6}/.exec(description ?? '');
  return m ? m[0] : null;
}

/** EsiaError.oauthError of an answer that is not ESIA's protocol (an HTML page with status 200, a collection without its elements). */
export const UNEXPECTED_ANSWER = 'unexpected_answer';

/**
 * Outcomes that say ESIA did not answer as ESIA (down, overloaded, a gateway's page in its place), not that it refused:
 * `transport` is a request that got no answer; the OAUTH_* codes are openid-client's for a timeout or an answer that
 * is not a token response; `server_error` and `temporarily_unavailable` are OAuth's own (RFC 6749 §4.1.2.1).
 */
const UNAVAILABLE = new Set(['transport', 'OAUTH_TIMEOUT', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON', UNEXPECTED_ANSWER, 'server_error', 'temporarily_unavailable']);

export class EsiaError extends Error {
  readonly code: string | null;
  readonly retry: boolean;
  constructor(
    /** Where it happened: `authorize`, `token`, `refresh`, `rest`, `callback`. */
    readonly step: string,
    /** OAuth `error` (e.g. `invalid_request`) when ESIA sent one. */
    readonly oauthError: string | null,
    description: string | null,
    readonly httpStatus?: number,
  ) {
    const code = esiaErrorCode(description);
    const known = code ? ESIA_ERRORS[code] : undefined;
    super(`ESIA ${step}: ${code ?? oauthError ?? 'error'}${known ? ` (${known.meaning}) — ${known.action}` : ''}`);
    this.name = 'EsiaError';
    this.code = code;
    this.retry = known?.retry ?? false;
  }

  /** ESIA could not be reached or did not answer as ESIA: the login may work later, nothing is wrong with the parent's account or ours. */
  get unavailable(): boolean {
    return this.retry || (this.httpStatus ?? 0) >= 500 || UNAVAILABLE.has(this.oauthError ?? '');
  }

  /** From an OAuth error body or callback query: `{error, error_description}`. */
  static from(step: string, body: { error?: unknown; error_description?: unknown }, httpStatus?: number): EsiaError {
    return new EsiaError(step, typeof body.error === 'string' ? body.error : null,
      typeof body.error_description === 'string' ? body.error_description : null, httpStatus);
  }
}
