// NetSchool answers → the HTTP layer's actions (platforms.md §1.2):
// - 409 `{message}` at login (or, on older servers, 200 `{message}` without `at`): wrong credentials
//   («Неправильный пароль…») or throttling
//   («Следующая попытка может быть совершена не ранее чем…»): fail, never retried;
// - a short HTML page mentioning `/asp/SecurityWarning.asp` instead of JSON: the server wants the
//   security warning acknowledged (a second live session of the same login) — handled by the auth hook;
// - 401 on an API route: the session timed out → re-login (nm17 `_request_with_optional_relogin`).
import type { Classifier } from '../http/index.js';
import { vettedText, type KnownTexts } from '../http/platform-text.js';

export const THROTTLE_TEXT = 'Следующая попытка может быть совершена не ранее чем';
const LOGIN = /^\/webapi\/(login|auth\/getdata|logindata)$/;

/** NetSchool messages known to name nobody (platforms.md §1.2 and the emulator's): only these reach an error. */
export const ASURSO_TEXTS: KnownTexts = [
  /Неправильный пароль( или имя пользователя)?\.?/, /Следующая попытка может быть совершена не ранее чем( через)?[\d\s.:,]*((сек(унд[ыу]?)?|мин(ут[ыу]?)?)\.?)?/,
  'Сетевой не вернул данные для авторизации', 'Сессия завершена. Войдите в систему заново', 'Неверные параметры фильтра', 'Неверный запрос',
  'Неверная дата', 'Внутренняя ошибка сервера',
];

/** A classifier that tells `onSecurityWarning` when the hand-off page appears (the auth hook posts it). */
export function asursoClassify(onSecurityWarning: () => void): Classifier {
  return (o) => {
    if (o.kind !== 'response') return undefined;
    if (o.status === 200 && typeof o.data === 'string' && o.data.includes('SecurityWarning.asp')) {
      onSecurityWarning();
      return { action: 'refresh_auth', failureType: 'config', code: 'security_warning', message: 'the server asks to acknowledge SecurityWarning.asp' };
    }
    const data = o.data as { message?: unknown; at?: unknown } | undefined;
    // Older servers refuse a login with HTTP 200, `{message}` and no `at` (§1.2): the same refusal as a 409.
    const refusedWith200 = o.status === 200 && o.route === '/webapi/login' && typeof data?.message === 'string' && data.at === undefined;
    if (o.status < 400 && !refusedWith200) return undefined;
    const raw = typeof data?.message === 'string' ? data.message : undefined;
    const message = vettedText(raw, ASURSO_TEXTS);
    // A 409 means bad credentials on the login routes only: elsewhere (the report queue, §1.10) it is the server's
    // refusal of that request, not of the account.
    if (refusedWith200 || (LOGIN.test(o.route) && o.status < 500 && o.status !== 429)) {
      if (raw?.includes(THROTTLE_TEXT)) return { action: 'fail', failureType: 'transient', code: 'login_throttled', message: `${message} (login throttled: wait before the next attempt)` };
      return { action: 'fail', failureType: 'config', code: 'login_refused', message: message ?? `login refused (${o.status})` };
    }
    if (o.status === 401) return { action: 'refresh_auth', failureType: 'config', code: '401', message: message ?? 'session expired' };
    if (o.status === 403 && /schools\/search/.test(o.route)) return { action: 'fail', failureType: 'config', code: 'search_refused', message: 'schools/search is refused without a name substring (platforms.md §1.8)' };
    if (o.status === 409) return { action: 'fail', failureType: 'system', code: '409', message: message ?? `the server refused the request (409) on ${o.route}` };
    if (o.status >= 500) return { action: 'retry', failureType: 'transient', message: message ?? `server error ${o.status}` };
    return undefined;
  };
}
