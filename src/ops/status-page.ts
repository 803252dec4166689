// The staff status page (issue 10): server-rendered, every value escaped, no script, Russian labels.
import { esc } from '../web/render.js';
import { QUEUE_STATES, type LastRun, type StatusData } from './status.js';

const KIND: Record<string, string> = { 'roster-sync': 'Синхронизация контингента', 'journal-sync': 'Синхронизация журнала', 'grade-push': 'Выгрузка отметок' };
const OUTCOME: Record<Exclude<LastRun['outcome'], 'retrying'>, string> = { completed: 'успешно', failed: 'ошибка' };

/** «повтор после ошибки 2/5»: a failed attempt that BullMQ will retry is not yet a failure, and not a success either. */
function outcomeText(r: LastRun): string {
  return r.outcome === 'retrying' ? `повтор после ошибки ${r.attempts}/${r.maxAttempts ?? '?'}` : OUTCOME[r.outcome];
}

/** When a retrying job runs again, after its reason. */
function retryText(r: LastRun): string {
  if (r.outcome !== 'retrying') return '';
  if (r.retryRunning) return ' — повтор выполняется';
  return r.retryAt ? ` — следующая попытка ${ruDateTime(r.retryAt)}` : ' — следующая попытка ожидает исполнителя';
}
const STATE: Record<(typeof QUEUE_STATES)[number], string> = { waiting: 'ожидают', active: 'выполняются', delayed: 'отложены', failed: 'с ошибкой', completed: 'выполнены' };
const BACKUP: Record<string, string> = { class_journal: 'журнал класса', summary_sheet: 'сводная ведомость', nightly_backup: 'ночная копия' };

/** `2026-11-29T17:05:00.000Z` → `29.11.2026 17:05 UTC`. */
export function ruDateTime(iso: string | null): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]} UTC` : esc(iso);
}

function runCells(r: LastRun): string {
  const t = r.totals;
  // What needs an operator is said in the row itself: refused deletes with the command that applies them, subjects a
  // platform names differently, marks waiting for a pupil or lesson the target has not linked.
  const result = t
    ? [
      `создано ${t.created}, изменено ${t.updated}, удалено ${t.deleted}, в карантине ${t.quarantined}, на проверку ${t.forReview}`,
      ...(t.pushFailed ? [`не выгружено ${t.pushFailed}`] : []),
      ...(t.pushWaiting ? [`ждут привязки в целевой системе ${t.pushWaiting}`] : []),
      ...t.deletesToAccept.map((d) => `удаления отклонены (${d.instance}): ${d.count} записей — если их действительно нет, journal-gateway sync roster --config FILE --school ${r.schoolId} --instance ${d.instance} --accept-deletes ${d.count}`),
      ...(t.unmatchedSubjects.length ? [`предметы без пары в системе учёта: ${t.unmatchedSubjects.map((x) => `«${x}»`).join(', ')} (sync.subjectAliases)`] : []),
    ].join(', ')
    : `${r.reason ?? ''}${retryText(r)}`;
  return `<td>${esc(r.schoolId)}</td><td>${esc(KIND[r.kind] ?? r.kind)}</td><td class="${r.outcome}">${esc(outcomeText(r))}</td>
<td>${ruDateTime(r.finishedAt)}</td><td>${r.attempts}</td><td>${esc(result)}</td>`;
}

/** The newest failures the page lists; cut here, after a staff scope has narrowed them, not when they are read. */
export const FAILURES_SHOWN = 20;

export function statusPage(d: StatusData): string {
  const runs = d.lastRuns.length
    ? `<table id="last-runs"><tr><th>Школа</th><th>Задание</th><th>Итог</th><th>Завершено</th><th>Попыток</th><th>Результат</th></tr>${d.lastRuns.map((r) => `<tr>${runCells(r)}</tr>`).join('')}</table>`
    : '<p id="last-runs">Запусков ещё не было.</p>';
  const queues = d.queues?.length
    ? `<table id="queues"><tr><th>Очередь</th>${QUEUE_STATES.map((st) => `<th>${STATE[st]}</th>`).join('')}</tr>${d.queues.map((q) =>
      `<tr><td>${esc(KIND[q.queue.replace(/^jg-/, '')] ?? q.queue)}</td>${QUEUE_STATES.map((st) => `<td data-state="${st}">${q.counts[st]}</td>`).join('')}</tr>`).join('')}</table>`
    : '';
  const failures = d.failures.length
    ? `<table id="failures"><tr><th>Школа</th><th>Задание</th><th>Итог</th><th>Завершено</th><th>Попыток</th><th>Причина</th></tr>${d.failures.slice(0, FAILURES_SHOWN).map((r) => `<tr>${runCells(r)}</tr>`).join('')}</table>`
    : '<p id="failures">Ошибок нет.</p>';
  const backups = d.backups.length
    ? `<table id="backups"><tr><th>Школа</th><th>Последняя проверенная копия</th><th>Вид</th><th>Повреждённые копии</th><th>Не проверялись больше года</th></tr>${d.backups.map((b) =>
      `<tr><td>${esc(b.schoolId)}</td><td>${b.lastVerifiedAt ? ruDateTime(b.lastVerifiedAt) : 'нет'}</td><td>${esc(b.kind ? BACKUP[b.kind] ?? b.kind : '—')}</td>${
        b.damagedCopies ? `<td class="failed">${b.damagedCopies}</td>` : '<td>нет</td>'}${
        // R-34: copies the nightly re-checks did not reach within a year, with the oldest last check's date.
        b.overdueCopies ? `<td class="failed">${b.overdueCopies} (с ${ruDateTime(b.overdueSince ?? null).slice(0, 10)})</td>` : '<td>нет</td>'}</tr>`).join('')}</table>`
    : '<p id="backups">Школы не настроены.</p>';
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Состояние шлюза</title>
<style>body{font-family:sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}.failed{color:#a00;font-weight:bold}.retrying{color:#a50;font-weight:bold}.completed{color:#060}</style></head>
<body><h1>Состояние шлюза</h1><p>Сформировано: ${ruDateTime(d.generatedAt)}</p>
${d.queuesUnavailable ? '<p class="failed" id="queues-unavailable">Очереди заданий недоступны: Redis не отвечает. Сведения о запусках и ошибках сейчас не получены.</p>' : ''}
${queues ? `<h2>Очереди заданий</h2>${queues}` : ''}
<h2>Последний запуск по школам</h2>${runs}
<h2>Ошибки</h2>${failures}
<h2>Очередь на проверку</h2>${d.reviewHidden ? '<p id="review-queue-hidden">Видна региональному оператору.</p>' : `<p>Ожидают решения оператора: <strong id="review-queue">${d.reviewQueue}</strong></p>`}
<h2>Резервные копии</h2>${backups}
</body></html>`;
}
