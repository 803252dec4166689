// ЭПОС error bodies `{code, message}` (platforms.md §2.6) → the HTTP layer's actions. The expired-session
// message can come with any status (dnevnik_mos_ru refreshes on every 4xx/500): the text decides.
import type { Classifier } from '../http/index.js';
import { ATTENDANCE_EXISTS } from '../../mappers/epos/codes.js';

const LOGIN = /lms\/api\/sessions/;
const EXPIRED = /сесси[яи][^.]*заверш|Войдите в ЭЖД заново/i;

export const eposClassify: Classifier = (o) => {
  if (o.kind !== 'response' || o.status < 400 || o.status === 429) return undefined;
  const body = o.data as { code?: unknown; message?: unknown } | undefined;
  const message = body && typeof body === 'object' && typeof body.message === 'string' ? body.message : undefined;
  const code = body && typeof body === 'object' && body.code !== undefined ? String(body.code) : String(o.status);
  if (LOGIN.test(o.route)) {
    if (o.status >= 500) return { action: 'retry', failureType: 'transient', code, message: message ?? `server error ${o.status}` };
    return { action: 'fail', failureType: 'config', code, message: message ?? 'login refused' };
  }
  if (message && EXPIRED.test(message)) return { action: 'refresh_auth', failureType: 'config', code: 'session_expired', message };
  if (o.status === 401) return { action: 'refresh_auth', failureType: 'config', code, message: message ?? 'unauthorized' };
  // A duplicate absence is "already done" (§2.5): the writer turns this code into `unchanged`.
  if (o.status === 403 && message === ATTENDANCE_EXISTS) return { action: 'fail', failureType: 'system', code: 'attendance_exists', message };
  if (o.status === 403) return { action: 'fail', failureType: 'config', code, message: message ?? 'forbidden' };
  if (o.status >= 500) return { action: 'retry', failureType: 'transient', code, message: message ?? `server error ${o.status}` };
  if (message) return { action: 'fail', failureType: 'system', code, message };
  return undefined;
};
