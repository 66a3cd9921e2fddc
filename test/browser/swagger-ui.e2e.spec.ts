import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import request from 'supertest';
import { projectRoot } from '../../src/config/paths.js';
import { launchChromium } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Named in the README; CI keeps it as an artifact. */
export const SCREENSHOT = path.join(projectRoot, 'artifacts', 'swagger-ui-compare.png');
/**
 * A made-up host name Chromium resolves to loopback: the page is reached as a remote user reaches
 * it, over plain HTTP from a host that is not localhost (which Chromium would treat as secure).
 */
const HOST = 'api.example.test';

describe('Swagger UI in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp('browser');
    browser = await launchChromium(HOST);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const remote = (pathname: string) => `http://${HOST}:${new URL(t.http).port}${pathname}`;

  it('opens at /docs on a host that is not localhost, lists every tag and operation, renders Chinese, runs compare, and loads nothing from outside', async () => {
    const document = (await request(t.http).get('/openapi.json').expect(200)).body as {
      tags: { name: string }[];
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
    };
    const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
    // Anything but plain HTTP to the API's own host: another site, or an upgrade to https the server does not serve.
    const outside: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol.startsWith('http') && (url.hostname !== HOST || url.protocol !== 'http:')) outside.push(r.url());
    });
    // The page runs under the API's Content-Security-Policy: anything it blocks is a console error.
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
    });

    await page.goto(remote('/docs'), { waitUntil: 'networkidle' });
    await page.waitForSelector('.opblock-tag');
    // With no CJK font every character is the same empty box: three characters drawn in the page's font must differ.
    // (A string: the test is compiled without the DOM's types.)
    const glyphs = await page.evaluate<string[]>(`(() => {
      const font = getComputedStyle(document.querySelector('.opblock-tag')).fontFamily;
      return ['浙', '江', '省'].map((character) => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 40;
        const context = canvas.getContext('2d');
        context.font = '32px ' + font;
        context.fillText(character, 2, 32);
        return canvas.toDataURL();
      });
    })()`);
    expect(new Set(glyphs).size).toBe(3);
    const tags = await page.$$eval('.opblock-tag', (elements) => elements.map((e) => e.getAttribute('data-tag')));
    expect(tags.sort()).toEqual(document.tags.map((tag) => tag.name).sort());
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((op) => `operations-${op.tags[0]}-${op.operationId}`));
    for (const id of operations) expect(await page.locator(`[id="${id}"]`).count()).toBe(1);

    const compare = page.locator('[id="operations-compare-compareCompare"]');
    await compare.locator('.opblock-summary').click();
    const tryOut = compare.locator('button.try-out__btn');
    if ((await tryOut.count()) && (await tryOut.textContent())?.includes('Try it out')) await tryOut.click();
    await compare.locator('input[placeholder="regions"]').fill('330000,320000');
    await compare.locator('input[placeholder="indicators"]').fill('smb_outreach.enterprises_visited');
    await compare.locator('button.execute').click();
    const status = compare.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('200');
    const body = await compare.locator('.live-responses-table tbody .response-col_description pre').first().textContent();
    expect(body).toContain('浙江省');
    expect(body).toContain('江苏省');
    expect(body).toContain('DEFINITION_MISMATCH');
    expect(blocked).toEqual([]);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await compare.scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(outside).toEqual([]);
  });

  it('answers every GET operation\'s "Try it out", as the document fills it in, with data', async () => {
    const document = (await request(t.http).get('/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
    };
    const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
    await page.goto(remote('/docs'), { waitUntil: 'networkidle' });
    await page.waitForSelector('.opblock-tag');
    const answers: Record<string, string> = {};
    for (const [pathname, methods] of Object.entries(document.paths)) {
      if (!methods.get) continue;
      const operation = page.locator(`[id="operations-${methods.get.tags[0]}-${methods.get.operationId}"]`);
      await operation.locator('.opblock-summary').click();
      await operation.locator('button.execute').click();
      const status = operation.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor();
      const response = operation.locator('.live-responses-table tbody .response-col_description').first();
      // A file sent as an attachment (a snapshot's CSV) is offered as a download link: its data is the file's records.
      const download = response.locator('a[download]');
      let data: number;
      if (await download.count()) {
        // The page's own policy keeps it from reading the blob back: the same request, as Swagger UI sent it, tells.
        const sent = new URL((await operation.locator('.request-url pre').first().textContent())!.trim());
        const file = await fetch(`${t.http}${sent.pathname}${sent.search}`);
        data = file.ok ? (await file.text()).trim().split('\n').length - 1 : 0;
      } else {
        const body = JSON.parse((await response.locator('pre').first().textContent()) ?? 'null') as Record<string, unknown>;
        data = Array.isArray(body?.data) ? (body.data as unknown[]).length : Array.isArray(body?.entries) ? (body.entries as unknown[]).length : Object.keys(body ?? {}).length;
      }
      answers[pathname] = `${(await status.textContent())?.trim()} ${data ? 'with data' : 'empty'}`;
      await operation.locator('.opblock-summary').click();
    }
    expect(Object.keys(answers).length).toBeGreaterThan(20);
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((pathname) => [pathname, '200 with data'])));
  }, 180_000);
});
