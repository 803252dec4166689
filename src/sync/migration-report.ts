// The migration report as JSON and as a printable Russian HTML page, plus a terminal summary.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFilesAtomic } from '../infra/atomic-file.js';
import type { MigrationReport } from './migrate.js';
import type { PackageMigrationReport } from './migrate-by-package.js';
import { formatSummary } from './run-summary.js';
import { foldEntity, foldText, type Fold } from '../model/mark-spelling.js';
import { byHandHtml, byHandLines } from './migration-report-by-hand.js';
import { cappedRows, ENTITY_RU, esc } from './migration-report-text.js';

/** Russian names of the fields a migration may not carry (the HTML report is for the school). */
const FIELD_RU: Record<string, string> = {
  'mark.comment': 'Комментарии к отметкам', 'mark.markDate': 'Даты выставления отметок',
  'attendance_record.minutesLate': 'Минуты опоздания', 'work.title': 'Названия работ', 'work.dueDate': 'Сроки сдачи работ',
  'lesson.substituteTeacherId': 'Замены (кто провёл урок вместо учителя по расписанию)', 'lesson.homework.dueDate': 'Сроки домашних заданий',
  'lesson.homework.attachments': 'Файлы к домашним заданиям', 'lesson.homework.notAssigned': 'Отметки «домашнее задание не задано»',
};

/**
 * Why the source's read refused the deletes it found (this run's steps, or the package stage a `--verify-import` vouches
 * for): the store still holds what the source no longer does, so the run is not ok. Counts only, never a name.
 */
const deletesRefusedOf = (r: MigrationReport & Partial<PackageMigrationReport>): string | undefined =>
  r.steps.filter((s) => s.deletesRefused).map((s) => `${s.kind}: ${s.deletesRefused}`).join('; ') || r.packageStage?.deletesRefused;

/** What a migration into a platform with no write API adds: the package, or how the read-back was matched. */
function packageLines(r: Partial<PackageMigrationReport>): string[] {
  const lines: string[] = [];
  if (r.importPackage) {
    lines.push(`  import package written to ${r.importPackage.dir} (${r.importPackage.files.map((f) => `${f.name} ${f.rows}`).join(', ')})`);
    lines.push('  next: hand the package to the platform\'s support team; once they have loaded it, run the same command with --verify-import');
  }
  if (r.stage === 'package' && !r.importPackage && r.ok) {
    lines.push(`  nothing to do: ${r.to} already holds every record of the window (read back and compared); no package written`);
  }
  if (r.packageStage?.problem) lines.push(`  NOT verified: ${r.packageStage.problem}`);
  if (r.stage === 'verify-import' && r.packageStage?.deletesRefused) {
    lines.push(`  NOT applied: the package stage's source read refused its deletes (${r.packageStage.deletesRefused}), so ${r.to} may still hold records the source no longer does; check them at the source, then run the package stage again`);
  }
  if (r.importCheck) {
    const ids = r.importCheck.unmatchedPupils;
    const more = ids.length > 20 ? ` … and ${ids.length - 20} more (all in the report)` : '';
    lines.push(`  read-back: ${r.importCheck.matchedPupils} pupils matched to the package, ${ids.length} unmatched${ids.length ? ` (user ids ${ids.slice(0, 20).join(', ')}${more})` : ''}, ${r.importCheck.quarantined} records quarantined${r.importCheck.quarantineReasons.length ? ` (${r.importCheck.quarantineReasons.join('; ')})` : ''}`);
  }
  return lines;
}

export function migrationSummary(r: MigrationReport & Partial<PackageMigrationReport>): string {
  const lines = [
    `migration ${r.from} → ${r.to}, school ${r.school}, ${r.window.from}…${r.window.to}${r.dryRun ? ' (dry run: nothing written)' : ''}`,
    ...r.steps.map((s) => `  ${formatSummary(s)}`),
    `  plan: to create ${JSON.stringify(r.plan.toCreate)},${r.plan.toUpdate ? ` to update ${JSON.stringify(r.plan.toUpdate)},` : ''}${r.plan.toDelete ? ` to delete ${JSON.stringify(r.plan.toDelete)},` : ''}${r.plan.toEnterByHand ? ` to enter by hand ${JSON.stringify(r.plan.toEnterByHand)},` : ''} already there ${JSON.stringify(r.plan.alreadyThere)}, unmatched pupils ${r.plan.unmatchedPeople}, lessons missing in the target ${r.plan.lessonsMissingInTarget}, conflicts ${r.plan.conflicts}`,
  ];
  const some = (ids: readonly string[], n = 20) => `${ids.slice(0, n).join(', ')}${ids.length > n ? ` … and ${ids.length - n} more (all in the report)` : ''}`;
  if (r.plan.waiting) {
    lines.push(`  WAITING: ${Object.entries(r.plan.waiting).map(([e, n]) => `${n} ${e}`).join(', ')} record(s) cannot be written until their pupil is matched or their lesson is in ${r.to}'s timetable (below); the push leaves them pending`);
  }
  if (r.plan.unmatchedPupilIds?.length) {
    lines.push(`  unmatched pupils (canonical ids: \`journal-gateway review\`, or check them in ${r.to}'s roster): ${some(r.plan.unmatchedPupilIds)}`);
  }
  if (r.plan.missingLessons?.length) {
    lines.push(`  lessons missing in ${r.to}'s timetable (canonical id@day): ${some(r.plan.missingLessons.map((l) => `${l.id}@${l.date}`))}`);
  }
  lines.push(...byHandLines(r));
  for (const [field, n] of Object.entries(r.plan.notCarried ?? {})) {
    // A bare name is a lesson's topic or homework on the API path; `entity.field` is a field the target cannot take.
    const dot = field.indexOf('.');
    lines.push(dot < 0
      ? `  NOT carried: the ${field} of ${n} lesson(s) — no platform has a route to write it, so ${r.to} keeps its own timetable's; it stays in the gateway's store, its backups and the yearly class-journal archive`
      : `  NOT carried: the ${field.slice(dot + 1)} of ${n} ${field.slice(0, dot)} record(s) — ${r.to} cannot hold it or be given it; the records go without it, and it stays in the gateway's store, its backups and the yearly class-journal archive`);
  }
  for (const [fold, n] of Object.entries(r.plan.folded ?? {}) as [Fold, number][]) {
    lines.push(`  NOT carried exactly: ${n} ${foldEntity(fold)} record(s) ${foldText(fold).says} on ${r.to} — its own spelling, not counted as a difference; the value as given stays in the gateway's store, its backups and the yearly class-journal archive`);
  }
  if (r.notMigrated > 0) {
    lines.push(r.stage === 'verify-import'
      ? `  NOT migrated: ${r.notMigrated} source record(s) were quarantined at the package stage's read (${r.packageStage?.at}${r.packageStage?.quarantineReasons.length ? `: ${r.packageStage.quarantineReasons.join('; ')}` : ''}), so they are not in the package; fix them in the source and run the package stage again`
      : `  NOT migrated: ${r.notMigrated} source record(s) were quarantined at the read (reasons in the run summaries above)`);
  }
  lines.push(...packageLines(r));
  if (r.reconciliation) {
    lines.push('  reconciliation (target read back vs canonical store):');
    for (const [e, c] of Object.entries(r.reconciliation.perEntity)) {
      const folded = r.reconciliation.folded?.[e] ? `, in ${r.to}'s own spelling ${r.reconciliation.folded[e]}` : '';
      lines.push(`    ${e.padEnd(18)} expected ${c.expected}, present ${c.present}, missing ${c.missing}, unexpected ${c.unexpected}, different ${c.different}${folded}`);
    }
    for (const d of r.reconciliation.differences.slice(0, 20)) lines.push(`    ${d.kind}: ${d.entity} ${d.id}${d.fields?.length ? ` (${d.fields.join(', ')})` : ''}`);
    if (r.reconciliation.differences.length > 20) lines.push(`    … and ${r.reconciliation.differences.length - 20} more difference(s) (all in the JSON report)`);
    if (r.readBackQuarantined?.count) lines.push(`  NOT comparable: ${r.readBackQuarantined.count} target record(s) the read-back could not accept (${r.readBackQuarantined.reasons.join('; ')})`);
    const others = [
      ...(r.readBackQuarantined?.count ? [`${r.readBackQuarantined.count} target record(s) not comparable`] : []),
      ...(r.notMigrated > 0 ? [`${r.notMigrated} source record(s) not migrated`] : []),
      ...(r.plan.unmatchedPeople > 0 ? [`${r.plan.unmatchedPeople} pupil(s) unmatched`] : []),
      ...(r.plan.lessonsMissingInTarget > 0 ? [`${r.plan.lessonsMissingInTarget} lesson(s) missing in ${r.to}'s timetable`] : []),
      ...(r.packageStage?.problem ? ['the package stage not verified'] : []),
      ...(deletesRefusedOf(r) ? ['deletes made at the source not applied (refused by its read)'] : []),
    ];
    // "0 difference(s)" named alone as the reason hid what was wrong (refused deletes, say): said when it is the reason.
    const diffs = r.reconciliation.differences.length;
    const why = diffs > 0 || others.length === 0 ? [`${diffs} difference(s) in the read-back`, ...others] : others;
    lines.push(r.ok ? '  nothing lost: every record is in the target, equal by content hash' : `  ${why.join(', ')}: see the report`);
  }
  return lines.join('\n');
}

/** The plan table's rows: what is written, then what is entered by hand (final marks: not written, so not in `toCreate`). */
const planEntities = (r: MigrationReport) => [...new Set([...Object.keys(r.plan.toCreate), ...Object.keys(r.plan.toEnterByHand ?? {}), ...Object.keys(r.plan.alreadyThere)])];

/** Deleted by the push, and — where the target has no route for it — to remove there by hand. */
function deleteCell(r: MigrationReport, e: string): string {
  const push = r.plan.toDelete?.[e];
  const byHand = r.plan.notDeletable?.[e]?.count;
  if (push === undefined && !byHand) return '—';
  return `${push ?? 0}${byHand ? `; вручную: ${byHand}` : ''}`;
}

export function migrationHtml(r: MigrationReport & Partial<PackageMigrationReport>): string {
  // Held in the target's own spelling (5- as 5): present, not different — a column where the terminal gives it too.
  const folded = r.reconciliation?.folded;
  const rows = r.reconciliation ? Object.entries(r.reconciliation.perEntity).map(([e, c]) =>
    `<tr><td>${esc(ENTITY_RU[e] ?? e)}</td><td>${c.expected}</td><td>${c.present}</td><td>${c.missing}</td><td>${c.unexpected}</td><td>${c.different}</td>${folded ? `<td>${folded[e] ?? 0}</td>` : ''}</tr>`).join('') : '';
  const diffs = cappedRows(r.reconciliation?.differences ?? [], (d) =>
    `<tr><td>${esc(ENTITY_RU[d.entity] ?? d.entity)}</td><td><code>${esc(d.id)}</code></td><td>${esc(d.kind)}</td><td>${esc((d.fields ?? []).join(', '))}</td></tr>`);
  const missing = cappedRows(r.plan.missingLessons ?? [], (l) => `<tr><td>${esc(l.date)}</td><td><code>${esc(l.id)}</code></td></tr>`);
  const unmatched = cappedRows(r.plan.unmatchedPupilIds ?? [], (id) => `<code>${esc(id)}</code> `);
  // ЭлЖур accounts `--verify-import` matched to no package pupil, by user id: the terminal line names the first 20.
  const unmatchedAccounts = cappedRows(r.importCheck?.unmatchedPupils ?? [], (id) => `<code>${esc(id)}</code> `);
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Перенос журнала: ${esc(r.school)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em}</style></head><body>
<h1>Перенос журнала ${esc(r.from)} → ${esc(r.to)}</h1>
<p>Школа: ${esc(r.school)}. Период: ${esc(r.window.from)} — ${esc(r.window.to)}. ${r.dryRun ? '<strong>Пробный запуск: ничего не записано.</strong>' : ''}</p>
${packageLines(r).map((l) => `<p>${esc(l.trim())}</p>`).join('')}
<h2>План</h2><table><tr><th>Раздел</th><th>Будет создано</th><th>Будет обновлено</th><th>Будет удалено</th><th>Внести вручную</th><th>Уже есть</th></tr>
${planEntities(r).map((e) => `<tr><td>${esc(ENTITY_RU[e] ?? e)}</td><td>${r.plan.toCreate[e] ?? '—'}</td><td>${r.plan.toUpdate?.[e] ?? '—'}</td><td>${deleteCell(r, e)}</td><td>${r.plan.toEnterByHand?.[e] ?? '—'}</td><td>${r.plan.alreadyThere[e] ?? '—'}</td></tr>`).join('')}</table>
${byHandHtml(r)}
${Object.entries(r.plan.notCarried ?? {}).map(([f, n]) => (f.includes('.')
    ? `<p><strong>${esc(FIELD_RU[f] ?? f)}: ${n} записей — не переносятся: ${esc(r.to)} не хранит это поле или не даёт его записать. Записи переносятся без него; оно сохраняется в хранилище шлюза, в ночных резервных копиях и в годовом архиве классного журнала.</strong></p>`
    : `<p><strong>${f === 'topic' ? 'Темы уроков' : f === 'homework' ? 'Домашние задания' : esc(f)}: ${n} уроков — не переносятся: ни одна платформа не даёт записать их через API, в ${esc(r.to)} остаётся то, что записано в её расписании. Они сохраняются в хранилище шлюза, в ночных резервных копиях и в годовом архиве классного журнала.</strong></p>`)).join('')}
${(Object.entries(r.plan.folded ?? {}) as [Fold, number][]).map(([fold, n]) => `<p><strong>${esc(ENTITY_RU[foldEntity(fold)] ?? foldEntity(fold))}: ${n} — в ${esc(r.to)} ${esc(foldText(fold).ru)}. Это написание платформы, а не расхождение; значение как было сохраняется в хранилище шлюза, в ночных резервных копиях и в годовом архиве классного журнала.</strong></p>`).join('')}
<p>Обучающиеся без соответствия в целевой системе: ${r.plan.unmatchedPeople}. Уроки, которых нет в расписании целевой системы: ${r.plan.lessonsMissingInTarget}. Расхождения между системами: ${r.plan.conflicts}.</p>
${r.plan.waiting ? `<p><strong>Ждут: ${Object.entries(r.plan.waiting).map(([e, n]) => `${esc(ENTITY_RU[e] ?? e)} — ${n}`).join(', ')}. Их нельзя записать, пока обучающийся не сопоставлен или урока нет в расписании ${esc(r.to)} (списки ниже).</strong></p>` : ''}
${unmatched.rows ? `<h3>Обучающиеся без соответствия (идентификаторы шлюза)${unmatched.note}</h3><p>${unmatched.rows}</p>` : ''}
${unmatchedAccounts.rows ? `<h3>Ученики в ${esc(r.to)} без соответствия в пакете (id пользователя)${unmatchedAccounts.note}</h3><p>${unmatchedAccounts.rows}</p>` : ''}
${missing.rows ? `<h3>Уроки, которых нет в расписании ${esc(r.to)}${missing.note}</h3><table><tr><th>Дата</th><th>Урок</th></tr>${missing.rows}</table>` : ''}
${r.reconciliation ? `<h2>Сверка</h2><table><tr><th>Раздел</th><th>Ожидалось</th><th>Найдено</th><th>Нет</th><th>Лишние</th><th>Отличаются</th>${folded ? `<th>В написании ${esc(r.to)}</th>` : ''}</tr>${rows}</table>
${r.notMigrated > 0 ? `<p><strong>Не перенесено: ${r.notMigrated} записей источника помещены в карантин при чтении.</strong></p>` : ''}
${r.packageStage?.problem ? `<p><strong>Пакет не проверен: ${esc(r.packageStage.problem)}.</strong></p>` : ''}
${deletesRefusedOf(r) ? `<p><strong>Удаления в источнике не применены: чтение источника отказалось их выполнить (${esc(deletesRefusedOf(r)!)}), поэтому в ${esc(r.to)} могут остаться записи, которых в источнике уже нет.</strong></p>` : ''}
${r.readBackQuarantined?.count ? `<p><strong>Не удалось сверить: ${r.readBackQuarantined.count} записей целевой системы не приняты при чтении (${esc(r.readBackQuarantined.reasons.join('; '))}).</strong></p>` : ''}
<p>${r.ok ? 'Ничего не потеряно.' : `Расхождений при сверке: ${r.reconciliation.differences.length}.`}</p>
${diffs.rows ? `<h3>Расхождения${diffs.note}</h3><table><tr><th>Раздел</th><th>Запись</th><th>Вид</th><th>Поля</th></tr>${diffs.rows}</table>` : ''}` : ''}
<p><small>Сформировано ${esc(r.finishedAt)}.</small></p></body></html>`;
}

/**
 * Writes `<base>.json` and `<base>.html` (base = `<dir>/migration-<school>-<from>-<to>`); returns both paths. Both are
 * written whole before either replaces the previous run's: a full disk leaves the earlier pair as it was.
 */
export function writeMigrationReport(r: MigrationReport & Partial<PackageMigrationReport>, base: string): { json: string; html: string } {
  mkdirSync(path.dirname(base), { recursive: true });
  writeFilesAtomic([[`${base}.json`, `${JSON.stringify(r, null, 2)}\n`], [`${base}.html`, migrationHtml(r)]]);
  return { json: `${base}.json`, html: `${base}.html` };
}

export const migrationReportBase = (dir: string, school: string, from: string, to: string) => path.join(dir, `migration-${school}-${from}-${to}`);
