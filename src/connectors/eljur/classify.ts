// ЭлЖур answers failures inside a 200 (platforms.md §4.2): `{response:{state:401, error:"…"}}` in JSON, or
// `<response><state>401</state>…` in XML. This hook turns the envelope's state into the HTTP layer's
// actions; what it leaves undecided (real 429/5xx from the web server in front) falls to the default table.
import type { Classifier, ErrorResolution } from '../http/index.js';
import { isHtmlPage, notJson } from '../http/classify.js';
import { vettedText, type KnownTexts } from '../http/platform-text.js';

const LOGIN = /\/(auth|getusersvendors)$/;

/** ЭлЖур `error` texts known to name nobody (platforms.md §4.2 and the emulator's): only these reach an error. */
export const ELJUR_TEXTS: KnownTexts = [
  'не удалось авторизовать разработчика', 'неизвестный vendor', 'токен недействителен или устарел', 'токен выдан для другого vendor',
  'неверный логин или пароль', 'v_token недействителен', 'метод не найден', 'внутренняя ошибка',
  'параметр days должен иметь вид YYYYMMDD-YYYYMMDD', /нет доступа к ученику \d+/, /класс [0-9]{1,2}\s?[А-ЯЁA-Z]{0,2}\d? не найден/,
];

/** `state` and `error` of an envelope in either format, or undefined when the body has none. */
export function envelopeState(data: unknown): { state: number; error: string | null } | undefined {
  if (typeof data === 'string') {
    // `state` and `error` sit before or after `result` (element order is not documented [U]): look at
    // both ends of the document, never through the whole page.
    for (const part of [data.slice(0, 2048), data.slice(-2048)]) {
      const s = /<state>\s*(\d+)\s*<\/state>/.exec(part);
      if (!s) continue;
      const e = /<error>([^<]*)<\/error>/.exec(part);
      return { state: Number(s[1]), error: e?.[1] ? e[1] : null };
    }
    return undefined;
  }
  const r = (data as { response?: { state?: unknown; error?: unknown } } | null)?.response;
  if (!r || typeof r !== 'object' || r.state === undefined) return undefined;
  return { state: Number(r.state), error: typeof r.error === 'string' && r.error ? r.error : null };
}

export const eljurClassify: Classifier = (o) => {
  if (o.kind !== 'response') return undefined;
  // `getusersvendors` is not enveloped: 400 → `{error, result:false}` (§4.2 step 3).
  if (/getusersvendors$/.test(o.route) && o.status === 400) {
    const err = (o.data as { error?: unknown } | null)?.error;
    return { action: 'fail', failureType: 'config', code: '400', message: typeof err === 'string' ? vettedText(err, ELJUR_TEXTS) : 'v_token refused' };
  }
  if (o.status === 429 || o.status >= 500) return undefined;
  const env = envelopeState(o.data);
  if (!env) {
    if (o.status >= 400 || LOGIN.test(o.route) || typeof o.data === 'object') return undefined;
    // A maintenance page or a cut-off body served with 200 (a proxy, the web server during an update) is no broken
    // contract: retried as on every platform, not failed for good at the first sight of it.
    const broken = notJson(o) ?? (isHtmlPage(o) ? 'an HTML page' : undefined);
    if (broken) return { action: 'retry', failureType: 'transient', message: `ЭлЖур answered ${o.status} with ${broken}` };
    return { action: 'fail', failureType: 'system', message: 'answer without the response envelope' };
  }
  const { state, error } = env;
  const res = (action: ErrorResolution['action'], failureType: ErrorResolution['failureType']): ErrorResolution => ({ action, failureType, code: String(state), message: vettedText(error ?? undefined, ELJUR_TEXTS) ?? `state ${state}` });
  if (state === 200 && !error) return { action: 'ok', failureType: 'system' };
  if (state === 401) return LOGIN.test(o.route) ? res('fail', 'config') : res('refresh_auth', 'config');
  // «не удалось авторизовать разработчика» (bad devkey), a wrong password, no access to a pupil.
  if (state === 403) return res('fail', 'config');
  if (state === 429) return res('rate_limited', 'transient');
  if (state >= 500) return res('retry', 'transient');
  return res('fail', 'system');
};
