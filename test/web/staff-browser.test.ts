// The staff side in headless Chromium (Debian chromium driven by playwright-core): a regional operator opens a
// report page, is sent to the login form, logs in through it, builds the monthly attendance sheet from the
// reports list, opens the status page and Bull Board (which renders the gateway's queues from real Redis), and
// logs out. Screenshots go to .data/test-results/staff-*.png (ignored by git).
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../src/jobs/job-types.js';
import { HAS_CHROMIUM, launchChromium } from './chromium.js';
import { PASSWORDS, staffRig, type StaffRig } from './staff-rig.js';

if (!HAS_CHROMIUM) console.warn('skipping the staff browser test: Debian chromium is not installed at /usr/bin/chromium (run `bash scripts/setup.sh chromium`)');

describe.skipIf(!HAS_CHROMIUM)('staff pages in headless Chromium', () => {
  let r: StaffRig;
  let browser: Browser;
  beforeAll(async () => {
    r = await staffRig();
    browser = await launchChromium();
    mkdirSync('.data/test-results', { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await r?.close();
  });

  it('logs in through the form, builds a report from the list, opens the status page and Bull Board, logs out', async () => {
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    const cspViolations: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/.test(m.text())) cspViolations.push(m.text()); });
    const failed: string[] = [];
    page.on('response', (res) => { if (res.status() >= 400 && res.url().includes('/staff/queues')) failed.push(`${res.status()} ${new URL(res.url()).pathname}`); });

    await page.goto(`${r.baseUrl}/staff/reports`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    expect(await page.textContent('h1')).toBe('Вход для сотрудников');
    await page.fill('#login', 'region');
    await page.fill('#password', 'не-тот-пароль-123');
    await page.click('#staff-login button[type="submit"]');
    expect(await page.textContent('#message')).toBe('Неверный логин или пароль.');
    await page.fill('#password', PASSWORDS.region);
    await page.click('#staff-login button[type="submit"]');
    await page.waitForURL(`${r.baseUrl}/staff/reports`);
    expect(await page.textContent('h1')).toBe('Отчёты');
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['jg_staff', true, 'Strict']]);

    const form = page.locator('#report-attendance form');
    await form.locator('select[name="school"]').selectOption(r.schoolId);
    await form.locator('input[name="period"]').fill('2025-09');
    await form.locator('select[name="format"]').selectOption('html');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(/\/staff\/reports\/attendance\?/);
    expect(await page.textContent('h1')).toContain('Сводная ведомость учёта посещаемости');
    const absentColumn = (await page.locator('thead th').allTextContents()).indexOf('Пропущено уроков');
    const cellsOf = (where: string) => page.locator(`${where} td:nth-child(${absentColumn + 1})`).allTextContents();
    const total = Number((await cellsOf('tfoot tr'))[0]);
    expect(total).toBeGreaterThan(0);
    expect((await cellsOf('tbody tr')).reduce((n, v) => n + Number(v || 0), 0)).toBe(total);
    await page.screenshot({ path: '.data/test-results/staff-report.png', fullPage: true });

    await page.goto(`${r.baseUrl}/staff/status`);
    expect(await page.textContent('h1')).toBe('Состояние шлюза');
    expect(await page.locator('#queues tr').count()).toBe(JOB_KINDS.length + 1);
    await page.screenshot({ path: '.data/test-results/staff-status.png', fullPage: true });

    // Bull Board is a script app: its queue list is rendered from its own API, under its own CSP.
    await page.goto(`${r.baseUrl}/staff`);
    await page.click('a[href="/staff/queues"]');
    await page.getByText('jg-roster-sync').first().waitFor({ timeout: 30_000 });
    for (const q of r.ops.queues.values()) expect(await page.getByText(q.name).count(), q.name).toBeGreaterThan(0);
    await page.getByText('Загрузка').waitFor({ state: 'detached', timeout: 30_000 });
    await page.screenshot({ path: '.data/test-results/staff-queues.png' });
    expect(failed).toEqual([]);
    expect(cspViolations.filter((v) => !/fonts\.googleapis/.test(v))).toEqual([]);

    await page.goto(`${r.baseUrl}/staff`);
    await page.click('#logout');
    await page.waitForURL(`${r.baseUrl}/staff/login`);
    await page.goto(`${r.baseUrl}/staff/status`);
    expect(new URL(page.url()).pathname).toBe('/staff/login');
    await context.close();
  }, 120_000);
});
