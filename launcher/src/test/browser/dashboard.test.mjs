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
  const consoleErrors = [];
  const offsite = [];
  const watch = (pg) => {
    pg.setDefaultTimeout(timeout);
    pg.on('pageerror', (e) => consoleErrors.push(String(e)));
    pg.on('request', (r) => { if (!r.url().startsWith(baseUrl)) { offsite.push(r.url()); } });
    return pg;
  };

  // escaping: a status whose strings hold markup renders it as text, never as elements (own page, status faked)
  if (!(await escapingHolds(watch(await context.newPage())))) { failed = true; }

  const page = watch(context.pages()[0] || await context.newPage());

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

  // batching: effective batch size, partitions/lanes per invocation, fill times, invocations/s, mode and its wait
  // setting, and the lanes with the largest backlog, once records flow
  // the reading is taken from one render, the first where a pipeline invoked and some lane holds a backlog
  const reading = await page.waitForFunction(() => {
    const r = {
      pipelines: [...document.querySelectorAll('#batching tbody tr[data-pipeline]')].map((t) => ({
        pipeline: t.dataset.pipeline, mode: t.dataset.mode, text: t.textContent,
        meanRecords: Number(t.dataset.meanRecords), meanPartitions: Number(t.dataset.meanPartitions),
        meanLanes: Number(t.dataset.meanLanes), meanFillMs: Number(t.dataset.meanFillMs),
        maxFillMs: Number(t.dataset.maxFillMs), invocationsPerSecond: Number(t.dataset.invocations) })),
      backlogs: [...document.querySelectorAll('#backlogs tbody tr[data-tp]')].map((t) => ({
        topicPartition: t.dataset.tp, lane: Number(t.dataset.lane), queued: Number(t.dataset.queued),
        inFlight: t.children[3].textContent, oldestWaitMs: Number(t.dataset.oldestWaitMs) })),
      batchCard: Number(document.getElementById('batch-size').dataset.value),
      title: document.getElementById('partitions-title').textContent,
    };
    const invoked = r.pipelines.some((p) => p.meanRecords > 0 && p.invocationsPerSecond > 0);
    return invoked && r.backlogs.length > 0 ? r : null;
  });
  const batching = await reading.jsonValue();
  log('batching', batching);

  // hot keys: the panel lists the top key of partitions, producer and consumer side, with its share
  const hot = await (await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#hotkeys tbody tr[data-key]')].map((t) => ({
      side: t.dataset.side, tp: t.dataset.tp, key: t.dataset.key, share: Number(t.dataset.share), text: t.textContent }));
    return rows.some((r) => r.side === 'producer') && rows.some((r) => r.side.startsWith('consumer')) ? { rows } : null;
  })).jsonValue();
  log('hotkeys', hot);

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

/**
 * Opens the dashboard with /api/status answered by a copy of the real status whose strings (pipeline name,
 * ordering, mode, topic, status, reason, backlog lane) hold markup, and checks the page shows that markup as
 * text: no element it carries exists, and the literal text is visible.
 */
async function escapingHolds(pg) {
  const real = await (await fetch(baseUrl + '/api/status', { cache: 'no-store' })).json();
  const evil = (what) => `<b data-injected="${what}">${what}</b>`;
  const pipeline = (name) => {
    const p = structuredClone(real.pipelines[0]);
    p.name = evil(name);
    p.ordering = evil('ordering');
    p.batch.mode = evil('mode');
    p.batching.mode = evil('batching-mode');
    const first = p.partitions[0]
      || { partition: 0, committedOffset: 0, endOffset: 0, lagRecords: 0, lagSeconds: 0, inFlightRecords: 0 };
    p.partitions = [{ ...first, topic: evil('topic'), status: evil('status'), statusReason: '"' + evil('reason') }];
    p.batching.largestBacklogs = [{ topicPartition: evil('tp'), lane: evil('lane'), queued: 3, inFlight: true, oldestWaitMs: 12 }];
    return p;
  };
  const hotKeys = { enabled: true, windowSeconds: 60, intervalSeconds: 5, producer: { partitions: [{ topic: evil('hot-topic'),
    partition: 0, records: 10, perSecond: 1, keys: [{ key: evil('hot-key'), records: 5, share: 0.5, perSecond: 0.5 }] }] }, consumer: {} };
  const fake = { ...real, hotKeys, pipelines: [pipeline('one'), pipeline('two')] };
  await pg.route('**/api/status', (route) => route.fulfill({ json: fake }));
  await pg.goto(baseUrl + '/', { waitUntil: 'domcontentloaded' });
  await pg.waitForFunction(() => Number(document.body.dataset.updates || 0) >= 1);
  const result = await pg.evaluate(() => {
    const text = (sel) => (document.querySelector(sel) || {}).textContent || '';
    return {
      injected: [...document.querySelectorAll('[data-injected]')].map((e) => e.dataset.injected),
      partitionsText: text('#partitions tbody'), backlogText: text('#backlogs tbody'), batchingText: text('#batching tbody'),
      hotKeysText: text('#hotkeys tbody'),
    };
  });
  const ok = result.injected.length === 0 && result.partitionsText.includes(evil('topic'))
    && result.backlogText.includes(evil('tp')) && result.batchingText.includes(evil('one'))
    && result.hotKeysText.includes(evil('hot-key')) && result.hotKeysText.includes(evil('hot-topic'));
  log('escaping', { ok, ...result });
  await pg.close();
  return ok;
}
