/// <reference lib="dom" />
import * as fs from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { AdminSessionsService } from '@/dashboard/admin-sessions.service';
import { aiResult, rejectedResult, seedCase } from './factories/case.factory';
import { startApp, tempDataDir, testConfig } from './support/app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = fs.existsSync(CHROMIUM) ? describe : describe.skip;
if (!fs.existsSync(CHROMIUM))
  console.warn(`Skipping the dashboard browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
const TOKEN = 'dashboard-admin-token-0123456789';

run('Coordinators’ dashboard in real headless Chromium', () => {
  let app: INestApplication;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    app = await startApp(testConfig({ DATA_DIR: tempDataDir(), ADMIN_API_TOKEN: TOKEN }));
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const db = app.get(DataSource);
    await seedCase(db, { aiResult: aiResult('mel', 0.6, 'urgent'), ageMinutes: 20 });
    await seedCase(db, {
      aiResult: aiResult('bcc', 0.5, 'soon'),
      status: 'claimed',
      ageMinutes: 26 * 60,
      channel: 'whatsapp',
      profile: { initials: 'AK', village: 'Kibera' },
    });
    const answeredAt = (minutes: number) => new Date(Date.now() - 60 * 60_000 + minutes * 60_000);
    await seedCase(db, {
      aiResult: aiResult('nv', 0.8),
      status: 'answered',
      doctorDiagnosis: 'nv',
      answeredAt: answeredAt(10),
      ageMinutes: 60,
      channel: 'whatsapp',
      profile: { initials: 'MW', village: 'Kibera' },
    });
    await seedCase(db, {
      aiResult: aiResult('nv', 0.7),
      status: 'answered',
      doctorDiagnosis: 'bkl',
      answeredAt: answeredAt(40),
      ageMinutes: 60,
      channel: 'web',
    });
    await seedCase(db, { aiResult: rejectedResult('retake', ['blurry']), status: 'rejected' });
    await seedCase(db, {
      aiResult: rejectedResult('not_skin', ['not_skin']),
      status: 'rejected',
      channel: 'whatsapp',
      profile: { initials: 'JO', village: 'Ngong' },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('should sign in with the admin token, draw the charts from the database and download the CSV', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !/401/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}/admin`);
    await page.waitForSelector('#signin:not(.hidden)');
    await page.fill('#token', 'not-the-token');
    await page.click('#signin button');
    await page.waitForFunction(() => document.getElementById('error')?.textContent === 'Wrong token.');
    await page.fill('#token', TOKEN);
    await page.click('#signin button');
    await page.waitForSelector('body[data-loaded="true"]');

    const tiles = await page.$$eval('.tile', (els) => els.map((e) => e.textContent));
    expect(tiles).toEqual(
      expect.arrayContaining(['6Cases', '2Open', '2Answered', '2Photos rejected', '25First answer, median (min)']),
    );
    expect(await page.$$eval('#risk rect.bar', (r) => r.length)).toBe(3);
    expect(await page.$$eval('#perday rect.bar', (r) => r.length)).toBeGreaterThan(0);
    expect(await page.textContent('#agreement')).toBe("AI result vs doctor's diagnosis: 50% agreement on 2 case(s)");
    expect(await page.textContent('#villages')).toContain('Kibera');
    expect(await page.textContent('#rejections')).toContain('blurry');
    expect(problems).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const csv = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^code,status,channel,ai_verdict/);
    expect(csv).toHaveLength(7);

    // A phone screen: nothing wider than the viewport.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.reload();
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${tempDataDir()}/dashboard-phone.png`, fullPage: true });
    await context.close();
  });

  it('should sign a doctor in with a one-time link, once', async () => {
    const link = (await app.get(AdminSessionsService).oneTimeLink('doctor:601')).replace(/^https?:\/\/[^/]+/, base);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    await page.waitForSelector('body[data-loaded="true"]');
    const again = await (await browser.newContext()).newPage();
    const res = await again.goto(link);
    expect(res?.status()).toBe(401);
    await context.close();
  });
});
