// The staff pages (Russian, server-rendered, every value escaped, no script): the login form, the staff home,
// the list of reports with a form per kind, and the not-found / error pages.
import { REPORT_FORMATS, REPORT_KINDS, type ReportKindName } from '../../reports/index.js';
import { esc } from '../render.js';

export interface StaffView { csrf: string; login: string }
export interface SchoolChoice { id: string; name: string }

const CSS = `body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}
header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #ccc;padding-bottom:.5rem}
label{display:block;margin:.5rem 0}input,select{padding:.3rem;min-width:16rem}button{padding:.4rem .8rem}.message{color:#a00;font-weight:bold}
section.report{border:1px solid #ddd;padding:.5rem 1rem;margin:1rem 0}form.inline{display:inline}`;

function staffPage(title: string, body: string, who?: StaffView): string {
  const logout = who
    ? `<span>${esc(who.login)} <form method="post" action="/staff/logout" class="inline"><input type="hidden" name="_csrf" value="${esc(who.csrf)}"><button type="submit" id="logout">Выйти</button></form></span>`
    : '';
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — Журнальный шлюз, сотрудники</title><style>${CSS}</style></head>
<body><header><a href="/staff">Журнальный шлюз — сотрудники</a>${logout}</header><main>${body}</main></body></html>`;
}

export function staffLoginPage(o: { message?: string; next?: string; login?: string } = {}): string {
  return staffPage('Вход', `<h1>Вход для сотрудников</h1>${o.message ? `<p class="message" id="message">${esc(o.message)}</p>` : ''}
<form method="post" action="/staff/login" id="staff-login">
<label>Логин <input name="login" id="login" autocomplete="username" required value="${esc(o.login ?? '')}"></label>
<label>Пароль <input name="password" id="password" type="password" autocomplete="current-password" required></label>
${o.next ? `<input type="hidden" name="next" value="${esc(o.next)}">` : ''}
<button type="submit">Войти</button></form>
<p>Родители входят через Госуслуги на <a href="/">главной странице</a>.</p>`);
}

export function staffHomePage(who: StaffView, links: { status: boolean; queues: boolean }): string {
  return staffPage('Сотрудники', `<h1>Рабочее место сотрудника</h1><ul id="staff-links">
<li><a href="/staff/reports">Отчёты</a></li>
${links.status ? '<li><a href="/staff/status">Состояние шлюза</a></li>' : ''}
${links.queues ? '<li><a href="/staff/queues">Очереди заданий (Bull Board)</a></li>' : ''}</ul>`, who);
}

const PERIOD_HINT: Record<string, string> = { session: 'учебный период («1 четверть»)', month: 'месяц (2025-09)', week: '7 дней по дату (2025-09-15)' };

export function reportsListPage(who: StaffView, schools: readonly SchoolChoice[]): string {
  const options = schools.map((s) => `<option value="${esc(s.id)}">${esc(s.name)}</option>`).join('');
  const kinds = (Object.keys(REPORT_KINDS) as ReportKindName[]).map((kind) => {
    const def = REPORT_KINDS[kind];
    return `<section class="report" id="report-${esc(kind)}"><h2>${esc(def.title)} <small>(${esc(def.rule)})</small></h2>
<form method="get" action="/staff/reports/${esc(kind)}">
<label>Школа <select name="school">${options}</select></label>
<label>Период — ${esc(def.periods.map((p) => PERIOD_HINT[p]).join(', '))} <input name="period" required></label>
<label>Класс (необязательно) <input name="class" placeholder="5А"></label>
<label>Формат <select name="format">${REPORT_FORMATS.map((f) => `<option value="${f}">${f.toUpperCase()}</option>`).join('')}</select></label>
<button type="submit">Сформировать</button></form></section>`;
  }).join('');
  const body = schools.length ? kinds : '<p id="no-schools">Школ, доступных вашей учётной записи, в хранилище пока нет.</p>';
  return staffPage('Отчёты', `<h1>Отчёты</h1>${body}`, who);
}

export function staffNotFoundPage(who?: StaffView): string {
  return staffPage('Не найдено', '<h1>Не найдено</h1><p>Такой страницы нет или она вам недоступна.</p><p><a href="/staff">На главную</a></p>', who);
}

export function staffErrorPage(title: string, message: string, who?: StaffView): string {
  return staffPage(title, `<h1>${esc(title)}</h1><p class="message" id="message">${esc(message)}</p><p><a href="/staff/reports">К отчётам</a></p>`, who);
}
