// The parts of a migration report that ask the school to act in the target by hand: records the source deleted that
// the target has no route to delete, and final marks no route writes. Each is given with what the school needs to
// find or enter it there — never a pupil's name (the report goes into logs and mail): the pupil's id on the target.
import type { FinalMarkByHand } from './finals-by-hand.js';
import type { MigrationReport } from './migrate.js';
import { cappedRows, ENTITY_RU, esc } from './migration-report-text.js';

const some = (items: readonly string[], n = 20) => `${items.slice(0, n).join(', ')}${items.length > n ? ` … and ${items.length - n} more (all in the report)` : ''}`;

/** Terminal lines: deletes the target will refuse, and final marks to enter by hand (counts only; the list is in the report). */
export function byHandLines(r: MigrationReport): string[] {
  const lines: string[] = [];
  for (const [e, d] of Object.entries(r.plan.notDeletable ?? {})) {
    lines.push(`  NOT deletable: ${d.count} ${e} record(s) deleted in the source are still in ${r.to}, which has no route to delete them (${d.reason}): the push will be refused them and the run will end not "ok" (exit 1) until they are removed there by hand — ${some(d.records.map((x) => `${x.id} (${r.to} id ${x.targetId})@${x.date}`))}`);
  }
  for (const [e, n] of Object.entries(r.plan.notWritable ?? {})) {
    const todo = r.plan.toEnterByHand?.[e] ?? 0;
    lines.push(`  NOT writable: ${n} ${e} record(s) — ${r.to} has no route to write them; ${todo} to enter there by hand (the report lists each with class, subject, period, value and the pupil's id on ${r.to}, or on ${r.from} where not matched yet), then run again to check`);
  }
  return lines;
}

/** The pupil by their id on the target, or — not matched there yet — on the source and in the gateway. */
function pupilCell(r: MigrationReport, f: FinalMarkByHand): string {
  if (f.pupilTargetId) return `<code>${esc(f.pupilTargetId)}</code>`;
  return `нет соответствия; ${f.pupilSourceId ? `id в ${esc(r.from)}: <code>${esc(f.pupilSourceId)}</code>, ` : ''}шлюз: <code>${esc(f.pupilId)}</code>`;
}

/** HTML: the same, each record to delete and each final mark to enter as a row the school can work through (each table cut as the report's long tables are: migration-report-text.ts). */
export function byHandHtml(r: MigrationReport): string {
  const deletes = Object.entries(r.plan.notDeletable ?? {}).map(([e, d]) => {
    const t = cappedRows(d.records, (x) => `<tr><td>${esc(x.date)}</td><td><code>${esc(x.targetId)}</code></td><td><code>${esc(x.id)}</code></td></tr>`);
    return `<h3>${esc(ENTITY_RU[e] ?? e)}: удалены в ${esc(r.from)}, но остаются в ${esc(r.to)} — ${d.count}${t.note}</h3>
<p><strong>${esc(r.to)} не даёт удалить их через API (${esc(d.reason)}). Удалите их в ${esc(r.to)} вручную: до этого перенос не завершится без расхождений.</strong></p>
<table><tr><th>Дата урока</th><th>Запись в ${esc(r.to)}</th><th>Запись шлюза</th></tr>${t.rows}</table>`;
  }).join('');
  const written = Object.entries(r.plan.notWritable ?? {}).map(([e, n]) => `<p><strong>${esc(ENTITY_RU[e] ?? e)}: ${n} — в ${esc(r.to)} их нельзя записать через API; внести вручную: ${r.plan.toEnterByHand?.[e] ?? 0} (список ниже), затем запустите перенос ещё раз для сверки.</strong></p>`).join('');
  const finalRows = cappedRows(r.plan.finalsByHand ?? [], (f) => `<tr><td>${esc(f.class)}</td><td>${esc(f.subject)}</td><td>${esc(f.period)}</td><td>${esc(f.value)}</td><td>${pupilCell(r, f)}</td></tr>`);
  const finals = r.plan.finalsByHand?.length
    // Cut like the differences (a 1,000-pupil school has tens of thousands): the page says so, the JSON has every row.
    ? `<h3>Итоговые отметки, которые нужно внести в ${esc(r.to)} вручную${finalRows.note}</h3>
<p>Обучающиеся указаны идентификатором в ${esc(r.to)} (отчёт не содержит имён); у кого соответствия в ${esc(r.to)} ещё нет — идентификатором в ${esc(r.from)} и шлюза (сопоставьте их: <code>journal-gateway review</code>).</p>
<table><tr><th>Класс</th><th>Предмет</th><th>Период</th><th>Отметка</th><th>Обучающийся (id в ${esc(r.to)})</th></tr>${finalRows.rows}</table>`
    : '';
  return `${written}${deletes}${finals}`;
}
