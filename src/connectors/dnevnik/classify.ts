// Дневник.ру error bodies `{type, description}` (platforms.md §3.5) → the HTTP layer's actions.
import type { Classifier } from '../http/index.js';

const LOGIN = /\/authorizations/;

export const dnevnikClassify: Classifier = (o) => {
  if (o.kind !== 'response' || o.status < 400) return undefined;
  const body = o.data as { type?: unknown; description?: unknown } | undefined;
  const type = body && typeof body === 'object' && typeof body.type === 'string' ? body.type : undefined;
  const code = type;
  const message = type ? `${type}${typeof body?.description === 'string' ? `: ${body.description}` : ''}` : undefined;
  // Maintenance answers 500/502 (also as an HTML page): transient.
  if (o.status === 500 || o.status === 502 || o.status === 503) return { action: 'retry', failureType: 'transient', code: code ?? String(o.status), message: message ?? `maintenance (${o.status})` };
  if (type === 'maxAttempsExceeded') return { action: 'fail', failureType: 'transient', code, message: `${message} (login attempts exhausted; wait before logging in again)` };
  if (type === 'authorizationFailed') {
    // On a login route it is wrong credentials; on an API route the token expired or was revoked.
    if (LOGIN.test(o.route)) return { action: 'fail', failureType: 'config', code, message };
    return { action: 'refresh_auth', failureType: 'config', code, message };
  }
  if (o.status === 401 && !LOGIN.test(o.route)) return { action: 'refresh_auth', failureType: 'config', code, message: message ?? 'unauthorized' };
  if (o.status === 401) return { action: 'fail', failureType: 'config', code, message: message ?? 'login refused' };
  if (type === 'parameterInvalid') return { action: 'fail', failureType: 'system', code, message };
  return undefined;
};
