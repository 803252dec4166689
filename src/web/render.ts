// Server-rendered Russian pages of the parents' diary. Every value is escaped; no script at all.
import { FINAL_KIND_RU } from '../model/final-kind-labels.js';
import type { ChildSummary, PupilDiary } from './diary.js';

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const ruDate = (iso: string) => { const [y, m, d] = iso.split('-'); return `${d}.${m}.${y}`; };
const ruNumber = (n: number | null) => (n === null ? '—' : n.toFixed(2).replace('.', ','));
const REASON: Record<string, string> = { excused: 'уважительная', unexcused: 'неуважительная', illness: 'болезнь', unknown: 'не указана' };

/** What a page's logout form needs of the session: its CSRF token, and the provider whose session the logout ends too. */
interface PageSession { csrf: string; provider?: string }

function page(title: string, body: string, session?: PageSession): string {
  // The provider rides in the form: a logout posted after our session expired still ends the provider's (server.ts).
  const provider = session?.provider ? `<input type="hidden" name="provider" value="${esc(session.provider)}">` : '';
  const logout = session
    ? `<form method="post" action="/logout" class="logout"><input type="hidden" name="_csrf" value="${esc(session.csrf)}">${provider}<button type="submit">Выйти</button></form>`
    : '';
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — Электронный дневник</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left}header{display:flex;justify-content:space-between;align-items:center}
.avg{font-weight:bold}.logout{display:inline}a.button,button{padding:.4rem .8rem}</style></head>
<body><header><a href="/">Электронный дневник</a>${logout}</header><main>${body}</main></body></html>`;
}

export function loginPage(opts: { esia: boolean; oidc: boolean; message?: string }): string {
  const buttons = [
    opts.esia ? '<p><a class="button" id="login-esia" href="/login/esia">Войти через Госуслуги</a></p>' : '',
    opts.oidc ? '<p><a class="button" id="login-oidc" href="/login/oidc">Войти через региональную учётную запись</a></p>' : '',
  ].join('');
  return page('Вход', `<h1>Вход в электронный дневник</h1>${opts.message ? `<p class="message">${esc(opts.message)}</p>` : ''}
<p>Родители входят через Госуслуги и видят дневники только своих детей.</p>${buttons}`);
}

export function childrenPage(children: ChildSummary[], pending: number, session: PageSession): string {
  const list = children.length
    ? `<ul id="children">${children.map((c) => `<li><a href="/pupil/${esc(c.id)}">${esc(c.name)}</a>${c.className ? `, ${esc(c.className)} класс` : ''}</li>`).join('')}</ul>`
    : '<p>Дети не найдены. Если ребёнок учится в школе региона, обратитесь в школу: связь подтверждается по СНИЛС ребёнка.</p>';
  const wait = pending ? `<p>Ещё ${pending} — ожидает подтверждения школой.</p>` : '';
  return page('Мои дети', `<h1>Мои дети</h1>${list}${wait}`, session);
}

export function diaryPage(d: PupilDiary, session: PageSession): string {
  const subjects = d.subjects.map((s) => `<tr><td>${esc(s.subject)}</td><td>${s.marks.map((m) =>
    `<span title="${esc(`${ruDate(m.date)}, ${m.workType}, вес ${m.weight}`)}">${esc(m.state === 'owed' ? '•' : m.raw)}</span>`).join(' ')}</td>
<td class="avg" data-subject="${esc(s.subject)}">${ruNumber(s.average)}</td></tr>`).join('');
  const attendance = d.attendance.length
    ? `<table id="attendance"><tr><th>Дата</th><th>Предмет</th><th>Отметка</th><th>Причина</th></tr>${d.attendance.map((a) =>
      `<tr><td>${ruDate(a.date)}</td><td>${esc(a.subject)}</td><td>${esc(a.code)}</td><td>${esc(REASON[a.reason] ?? a.reason)}</td></tr>`).join('')}</table>`
    : '<p>Пропусков нет.</p>';
  const homework = d.homework.length
    ? `<table id="homework"><tr><th>Дата</th><th>Предмет</th><th>Задание</th><th>Срок</th></tr>${d.homework.map((h) =>
      `<tr><td>${ruDate(h.date)}</td><td>${esc(h.subject)}</td><td>${esc(h.text)}</td><td>${h.dueDate ? ruDate(h.dueDate) : ''}</td></tr>`).join('')}</table>`
    : '<p>Заданий нет.</p>';
  const finals = d.finals.length
    ? `<table id="finals"><tr><th>Предмет</th><th>Период</th><th>Отметка</th></tr>${d.finals.map((f) =>
      `<tr><td>${esc(f.subject)}</td><td>${esc(f.period)} (${esc(FINAL_KIND_RU[f.kind] ?? f.kind)})</td><td>${esc(f.raw)}</td></tr>`).join('')}</table>`
    : '<p>Итоговых отметок пока нет.</p>';
  return page(d.child.name, `<h1>${esc(d.child.name)}${d.child.className ? `, ${esc(d.child.className)} класс` : ''}</h1>
<h2>Отметки</h2><table id="marks"><tr><th>Предмет</th><th>Отметки</th><th>Средний балл (взвешенный${d.averagePeriod ? `, ${esc(d.averagePeriod.title)}` : ''})</th></tr>${subjects}</table>
<h2>Четвертные и годовые отметки</h2>${finals}
<h2>Посещаемость</h2>${attendance}
<h2>Домашние задания</h2>${homework}`, session);
}

export function notFoundPage(session?: PageSession): string {
  return page('Не найдено', '<h1>Не найдено</h1><p>Такой страницы нет.</p><p><a href="/">К списку детей</a></p>', session);
}

export function errorPage(message: string): string {
  return page('Ошибка входа', `<h1>Не удалось войти</h1><p>${esc(message)}</p><p><a href="/">Попробовать ещё раз</a></p>`);
}

/** A request that went wrong outside a login (a malformed form, an internal error): not «не удалось войти». */
export function problemPage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p><p><a href="/">На главную</a></p>`);
}
