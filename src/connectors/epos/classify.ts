// ЭПОС error bodies `{code, message}` (platforms.md §2.6) → the HTTP layer's actions. The expired-session
// message can come with any status (dnevnik_mos_ru refreshes on every 4xx/500): the text decides.
import type { Classifier } from '../http/index.js';
import { vettedText, type KnownTexts } from '../http/platform-text.js';
import { ATTENDANCE_EXISTS } from '../../mappers/epos/codes.js';

const LOGIN = /lms\/api\/sessions/;

/** ЭПОС/МЭШ messages known to name nobody (platforms.md §2.6 and the emulator's): only these reach an error. */
export const EPOS_TEXTS: KnownTexts = [
  'Предыдущая сессия работы в ЭЖД завершена. Войдите в ЭЖД заново', 'Пропуск для выбранного ученика и урока уже существует',
  'Неверный логин или пароль', 'Токен авторизации недействителен или истёк', 'Недостаточно прав для выполнения операции',
  'Профиль не принадлежит пользователю', 'Профиль не найден', 'Не указан параметр pid', 'Ресурс не найден', 'Оценка не найдена',
  'Урок или ученик не найден', 'Урок, ученик или форма контроля не найдены', 'Школа не найдена', 'Недопустимое значение оценки',
  'Неизвестная причина отсутствия', 'Для точки нужна дата point_date (дд.мм.гггг)', 'Слишком много запросов', 'Внутренняя ошибка сервера',
  /Неверный формат даты: ожидается (ГГГГ-ММ-ДД|дд\.мм\.гггг)/,
];
const EXPIRED = /сесси[яи][^.]*заверш|Войдите в ЭЖД заново/i;

export const eposClassify: Classifier = (o) => {
  if (o.kind !== 'response' || o.status < 400 || o.status === 429) return undefined;
  const body = o.data as { code?: unknown; message?: unknown } | undefined;
  const raw = body && typeof body === 'object' && typeof body.message === 'string' ? body.message : undefined;
  const message = vettedText(raw, EPOS_TEXTS);
  const code = body && typeof body === 'object' && body.code !== undefined ? String(body.code) : String(o.status);
  if (LOGIN.test(o.route)) {
    if (o.status >= 500) return { action: 'retry', failureType: 'transient', code, message: message ?? `server error ${o.status}` };
    return { action: 'fail', failureType: 'config', code, message: message ?? 'login refused' };
  }
  if (raw && EXPIRED.test(raw)) return { action: 'refresh_auth', failureType: 'config', code: 'session_expired', message };
  if (o.status === 401) return { action: 'refresh_auth', failureType: 'config', code, message: message ?? 'unauthorized' };
  // A duplicate absence is "already done" (§2.5): the writer turns this code into `unchanged`.
  if (o.status === 403 && raw === ATTENDANCE_EXISTS) return { action: 'fail', failureType: 'system', code: 'attendance_exists', message };
  if (o.status === 403) return { action: 'fail', failureType: 'config', code, message: message ?? 'forbidden' };
  if (o.status >= 500) return { action: 'retry', failureType: 'transient', code, message: message ?? `server error ${o.status}` };
  if (message) return { action: 'fail', failureType: 'system', code, message };
  return undefined;
};
