// Headless Chromium (Debian chromium driven by playwright-core): a parent logs in through the fake
// ESIA, sees both children's marks and averages, cannot open a third pupil by editing the URL, logs out.
// A screenshot of the diary page is saved to .data/test-results/diary.png (ignored by git).
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../src/web/demo-school.js';
import { GOST_SKIP_REASON, HAS_GOST } from '../auth/helpers.js';
import { HAS_CHROMIUM, launchChromium } from './chromium.js';
import { diaryRig, type DiaryRig } from './helpers.js';

if (!HAS_CHROMIUM) console.warn('skipping the browser test: Debian chromium is not installed at /usr/bin/chromium (run `bash scripts/setup.sh chromium`)');
if (!HAS_GOST) console.warn(`skipping the browser test: ${GOST_SKIP_REASON}`);

describe.skipIf(!HAS_CHROMIUM || !HAS_GOST)('parents\' diary in headless Chromium', () => {
  let d: DiaryRig;
  let browser: Browser;
  beforeAll(async () => {
    d = await diaryRig({ autoLogin: false });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await d?.close();
  });

  it('logs in through the fake ESIA, sees both children\'s marks and averages, cannot open a third pupil, logs out', async () => {
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${d.baseUrl}/`);
    await page.click('#login-esia');
    await page.waitForURL(/\/aas\/oauth2\/v2\/ac/);
    expect(await page.textContent('h1')).toContain('Госуслуги');
    await page.click('button[value="allow"]');
    await page.waitForURL(`${d.baseUrl}/`);
    expect(await page.textContent('h1')).toBe('Мои дети');
    const names = await page.locator('#children a').allTextContents();
    expect(names).toEqual(['Синтетов Иван', 'Синтетова Мария']);

    // No ESIA token in the browser: cookies hold only our opaque session id, not readable by scripts.
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name)).toEqual(['jg_session']);
    expect(cookies[0].httpOnly).toBe(true);
    expect(cookies[0].value).not.toMatch(/^eyJ/);

    await page.click('text=Синтетов Иван');
    expect(await page.textContent('h1')).toContain('Синтетов Иван');
    expect(await page.textContent('td[data-subject="Математика"]')).toBe('4,22');
    expect(await page.textContent('td[data-subject="Русский язык"]')).toBe('4,33');
    mkdirSync('.data/test-results', { recursive: true });
    await page.screenshot({ path: '.data/test-results/diary.png', fullPage: true });

    await page.goto(`${d.baseUrl}/`);
    await page.click('text=Синтетова Мария');
    expect(await page.textContent('td[data-subject="Математика"]')).toBe('5,00');
    expect(await page.textContent('td[data-subject="Русский язык"]')).toBe('3,86'); // 3×80 + 5×60 = 540 / 140

    // Editing the URL to another family's pupil: «не найдено», like a pupil that does not exist.
    const other = await page.goto(`${d.baseUrl}/pupil/${DEMO_IDS.petr}`);
    expect(other?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Не найдено');
    const otherHtml = await page.content();
    const missing = await page.goto(`${d.baseUrl}/pupil/00000000-0000-4000-8000-000000000000`);
    expect(missing?.status()).toBe(404);
    expect(await page.content()).toBe(otherHtml);

    await page.goto(`${d.baseUrl}/`);
    await page.click('.logout button');
    await page.waitForURL(`${d.baseUrl}/`);
    expect(d.rig.fake.loggedOut).toHaveLength(1);
    expect(await page.textContent('h1')).toBe('Вход в электронный дневник');
    expect(await context.cookies()).toEqual([]);
    const after = await page.goto(`${d.baseUrl}/pupil/${DEMO_IDS.ivan}`);
    expect(page.url()).toBe(`${d.baseUrl}/`);
    expect(after?.status()).toBe(200);
    await context.close();
  });
});
