// Дневник.ру error bodies `{type, description}` (platforms.md §3.5) → the HTTP layer's actions.
import type { Classifier } from '../http/index.js';
import { vettedText, type KnownTexts } from '../http/platform-text.js';

const LOGIN = /\/authorizations/;

/** Дневник.ру `description`s known to name nobody (the partner API's and the emulator's): only these reach an error. */
export const DNEVNIK_TEXTS: KnownTexts = [
  'Too many login attempts', 'Access token is missing, invalid or expired', 'Invalid authorization code', 'Invalid credentials',
  'Invalid refresh token', 'Unknown client', 'teacher scope required', 'Unknown method', 'Unhandled error', 'Too many requests',
  'at most 100 ids per call', 'expected a list of user ids', 'from/to must be dates', 'lesson and workType are required',
  'log entry exists: use PUT', 'unknown mark type or value', 'unknown status', 'edu-group not found', 'access to the edu-group denied', 'lesson or person not found',
  'person or work not found', 'mark not found', 'school not found', 'user not found',
];

export const dnevnikClassify: Classifier = (o) => {
  if (o.kind !== 'response' || o.status < 400) return undefined;
  const body = o.data as { type?: unknown; description?: unknown } | undefined;
  const type = body && typeof body === 'object' && typeof body.type === 'string' ? body.type : undefined;
  const code = type;
  // `type` is an identifier of the API (`authorizationFailed`); `description` is free text.
  const message = type ? `${type}${typeof body?.description === 'string' ? `: ${vettedText(body.description, DNEVNIK_TEXTS)}` : ''}` : undefined;
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
  // The school itself not found: the configured school id is wrong. Nothing a retry fixes (the job was retried five
  // times over minutes, spending the instance's budget); the operator corrects `schools[].platforms[].schoolId`.
  if (o.status === 404 && o.route === '/v2/schools/{id}') return { action: 'fail', failureType: 'config', code, message: `${message ?? 'not found'} (check the school's id on this platform: schools[].platforms[].schoolId)` };
  if (type === 'parameterInvalid') return { action: 'fail', failureType: 'system', code, message };
  return undefined;
};
