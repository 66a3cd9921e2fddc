import axe from 'axe-core';
import { parse } from 'csv-parse/sync';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { projectRoot } from '../../src/config/paths.js';
import { launchChromium } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ARTIFACTS = path.join(projectRoot, 'artifacts');
/** Reached as a remote user reaches it: a host that is not localhost, over plain HTTP. */
const HOST = 'explorer.example.test';
const ZJ_LOANS_QUOTE = '截至2026年4月末，浙江已组织走访企业596万家，纳入推荐清单数量172万家，其中147万家已获得授信支持，累放贷款6.5万亿元';

type Problem = { id: string; impact: string | null; nodes: unknown[] };

describe('the explorer page at /, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp('explorer');
    browser = await launchChromium(HOST);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const remote = (pathname: string) => `http://${HOST}:${new URL(t.http).port}${pathname}`;
  // Page scripts as strings: the tests are compiled without the DOM's types.
  const focused = (page: Page) =>
    page.evaluate<{ id: string; text: string }>(`({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent?.trim() ?? '' })`);
  /** Tabs (at most 60 times) until the focused element passes the test: the keyboard's only way around the page. */
  const tabTo = async (page: Page, test: (element: { id: string; text: string }) => boolean) => {
    for (let i = 0; i < 60; i++) {
      if (test(await focused(page))) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`no focusable element passed ${test.toString()}`);
  };
  const tableText = (page: Page) => page.locator('#table').innerText();
  /** axe-core run in the page (evaluated, so the page's Content-Security-Policy does not apply to it). */
  const seriousProblems = async (page: Page) => {
    await page.evaluate(axe.source);
    const problems = await page.evaluate<Problem[]>(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) })))`,
    );
    return problems.filter((problem) => problem.impact === 'serious' || problem.impact === 'critical');
  };

  it('compares 浙江 with 江苏 by keyboard alone: warning, citation, language, CSV and a link that restores the view', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(remote('/?lang=zh'), { waitUntil: 'networkidle' });
    expect(await page.locator('h1').innerText()).toBe('区域科创与小微金融数据浏览');

    // Regions by type-ahead, in Chinese and in English, chosen with Enter.
    await tabTo(page, (e) => e.id === 'region-input');
    await page.keyboard.type('浙江');
    await page.locator('#region-options li').first().waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type('Jiangsu');
    await page.locator('#region-options li', { hasText: 'Jiangsu' }).first().waitFor();
    await page.keyboard.press('Enter');
    expect(await page.locator('#chosen').innerText()).toMatch(/浙江省[\s\S]*江苏省/);
    // The topic, with the arrow keys.
    await tabTo(page, (e) => e.id === 'topic');
    for (let i = 0; i < 30 && (await page.locator('#topic').inputValue()) !== 'smb_outreach'; i++) await page.keyboard.press('ArrowDown');
    expect(await page.locator('#topic').inputValue()).toBe('smb_outreach');
    await tabTo(page, (e) => e.text === '比较');
    await page.keyboard.press('Enter');

    await page.locator('#table tbody tr').first().waitFor();
    await page.locator('#chart svg').waitFor();
    expect(await page.locator('#warnings').innerText()).toContain('DEFINITION_MISMATCH');
    expect(await tableText(page)).toContain('6.5万亿元');
    expect(await page.locator('#chart svg').innerHTML()).toContain('6.5万亿元');
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-compare.png'), fullPage: true });
    expect(await seriousProblems(page)).toEqual([]);

    // A figure's citation, opened from the table with Enter and closed with Escape.
    await tabTo(page, (e) => e.text === '6.5万亿元');
    await page.keyboard.press('Enter');
    const dialog = page.locator('#citation');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.innerText()).toContain(ZJ_LOANS_QUOTE);
    expect(await dialog.innerText()).toContain('002_caa4a03adb5becde.txt');
    expect(await seriousProblems(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The other language: the page, the figures and the warnings.
    await tabTo(page, (e) => e.id === 'language');
    await page.keyboard.press('Enter');
    await page.locator('#table', { hasText: '6.5 trillion yuan' }).waitFor();
    expect(await page.locator('h1').innerText()).toBe('Regional finance figures explorer');
    expect(await page.locator('#warnings').innerText()).toContain('not the same count');

    // The CSV download holds the figures the table shows.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv').click()]);
    const csv: Record<string, string>[] = parse(readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, ''), { columns: true });
    const json = (await request(t.http).get('/v1/compare?regions=330000,320000&topic=smb_outreach&lang=en').expect(200)).body as {
      rows: { indicator: { code: string }; cells: { region: string; observation: { value: number; display: string } | null }[] }[];
    };
    const shown = await tableText(page);
    for (const row of json.rows)
      for (const cell of row.cells.filter((c) => c.observation)) {
        expect(shown).toContain(cell.observation!.display);
        expect(csv.find((line) => line.region_code === cell.region && line.indicator_code === row.indicator.code)).toMatchObject({
          value: String(cell.observation!.value),
          display: cell.observation!.display,
        });
      }

    // The copied link restores the same view in a fresh page.
    await page.locator('#copy-view').click();
    const link = await page.locator('#api-url').inputValue();
    expect(new URL(link).pathname).toBe('/');
    const restored = await context.newPage();
    await restored.goto(link, { waitUntil: 'networkidle' });
    await restored.locator('#table tbody tr').first().waitFor();
    expect(await tableText(restored)).toBe(shown);
    expect(await restored.locator('#topic').inputValue()).toBe('smb_outreach');
    // And the API URL it offers answers the same comparison.
    await restored.locator('#copy-api').click();
    const api = new URL(await restored.locator('#api-url').inputValue());
    expect(api.pathname).toBe('/v1/compare');
    expect((await request(t.http).get(`${api.pathname}${api.search}`).expect(200)).body).toMatchObject({ rows: json.rows });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('fits a phone-sized screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(remote('/?regions=330000,320000&topic=smb_outreach&lang=zh'), { waitUntil: 'networkidle' });
    await page.locator('#chart svg').waitFor();
    // Nothing wider than the screen but the chart and table, which scroll inside their own boxes.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-phone.png'), fullPage: true });
    expect(await seriousProblems(page)).toEqual([]);
    await page.close();
  }, 60_000);
});
