// Drives the Sluice dashboard in real headless Chromium (Debian's /usr/bin/chromium through playwright-core).
// Usage: node dashboard.test.mjs <baseUrl> <token> <screenshotPath>
// Env: CHROMIUM_PATH (default /usr/bin/chromium), STEP_TIMEOUT_MS (default 30000).
// Prints one JSON line per step; exits 0 when every check passed, 1 otherwise.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [baseUrl, token, screenshot] = process.argv.slice(2);
if (!baseUrl || !token || !screenshot) {
  console.error('usage: node dashboard.test.mjs <baseUrl> <token> <screenshotPath>');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const timeout = Number(process.env.STEP_TIMEOUT_MS || 30000);
const userDataDir = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
const log = (step, data) => console.log(JSON.stringify({ step, ...data }));

let context;
let failed = false;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(timeout);
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const offsite = [];
  page.on('request', (r) => { if (!r.url().startsWith(baseUrl)) { offsite.push(r.url()); } });

  await page.goto(baseUrl + '/', { waitUntil: 'domcontentloaded' });
  log('opened', { title: await page.title() });

  // rates render and are non-zero
  await page.waitForFunction(() => Number(document.getElementById('produced-rate').dataset.value) > 0
    && Number(document.getElementById('delivered-rate').dataset.value) > 0);
  const num = (id) => page.$eval('#' + id, (el) => Number(el.dataset.value));
  const first = { produced: await num('produced-rate'), delivered: await num('delivered-rate'), lag: await num('lag-total') };
  const updates0 = await page.$eval('body', (b) => Number(b.dataset.updates || 0));
  log('rates', first);
  // every pipeline serving: the health pill says so (it names a failed pipeline and its cause otherwise)
  await page.waitForFunction(() => document.getElementById('pipeline-health').textContent === 'pipelines: running');

  // lag table has partitions with end offsets
  await page.waitForFunction(() => document.querySelectorAll('#partitions tbody tr').length > 0);
  const partitions = await page.$$eval('#partitions tbody tr', (rows) => rows.map((r) => ({
    partition: r.dataset.partition, lag: Number(r.dataset.lag), cells: r.children.length })));
  log('partitions', { count: partitions.length, sample: partitions.slice(0, 3) });

  // values move: several more updates and a different reading of rates or lag
  await page.waitForFunction((u0) => Number(document.body.dataset.updates || 0) >= u0 + 3, updates0);
  await page.waitForFunction((f) => {
    const v = (id) => Number(document.getElementById(id).dataset.value);
    return v('produced-rate') !== f.produced || v('delivered-rate') !== f.delivered || v('lag-total') !== f.lag;
  }, first);
  const moved = { produced: await num('produced-rate'), delivered: await num('delivered-rate'), lag: await num('lag-total') };
  log('moved', moved);

  // screenshot under load, before pausing, once the charts hold some history
  await page.waitForFunction((u0) => Number(document.body.dataset.updates || 0) >= u0 + 20, updates0, { timeout: 60000 });
  await page.screenshot({ path: screenshot, fullPage: true });
  log('screenshot', { path: screenshot });

  // enter the token once, click pause; the dashboard and /api/status show the consumer paused
  await page.fill('#token', token);
  await page.click('#btn-pause');
  await page.waitForFunction(() => document.getElementById('paused-state').dataset.paused === 'true');
  const status = await page.evaluate(async () => (await (await fetch('/api/status', { cache: 'no-store' })).json()));
  const paused = status.pipelines.every((p) => p.paused && p.pauseReasons.includes('manual'));
  log('paused', { paused, message: await page.textContent('#message') });
  if (!paused) { failed = true; }
  if (consoleErrors.length) { log('page-errors', { consoleErrors }); failed = true; }
  if (offsite.length) { log('offsite-requests', { offsite }); failed = true; }
  log('done', { ok: !failed });
} catch (e) {
  failed = true;
  log('error', { message: String(e && e.stack || e) });
} finally {
  if (context) { await context.close().catch(() => {}); }
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
