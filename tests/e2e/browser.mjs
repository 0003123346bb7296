// Browser tests: Debian's Chromium driven by playwright-core against the real `koers` binary
// on a fresh SQLite store (first-run snapshot). Usage: node tests/e2e/browser.mjs path/to/koers
// Screenshots go to tests/e2e/screenshots/. Exits non-zero when a check fails.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.join(here, 'screenshots');
fs.mkdirSync(shots, { recursive: true });
const [bin, fakes] = process.argv.slice(2);
if (!bin || !fs.existsSync(bin) || !fakes || !fs.existsSync(fakes)) {
  console.error(`usage: node browser.mjs path/to/koers path/to/fake_upstreams (got ${bin}, ${fakes})`);
  process.exit(2);
}

// --- start the servers --------------------------------------------------------------------
/** Starts a process and resolves with the first match of `pattern` in its output. */
function start(cmd, args, env, pattern) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', d => { log += d; });
  const found = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start:\n${log}`)), 30000);
    let out = '';
    child.stdout.on('data', d => {
      out += d;
      const m = out.match(pattern);
      if (m) { clearTimeout(timer); resolve(m); }
    });
    child.on('exit', code => reject(new Error(`${cmd} exited with ${code}:\n${log}`)));
  });
  return { child, found };
}
const serve = db => start(bin, ['serve', '--addr', '127.0.0.1:0', '--no-schedule'],
  { DATABASE_URL: `sqlite://${db}`, RUST_LOG: 'warn' }, /running at (http:\/\/\S+)/);
// Server 1: a first run, with only the built-in published figures.
const first = serve(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'koers-e2e-')), 'koers.db'));
const base = (await first.found)[1];
// Server 2: after a live ingest from the fake CBS and Eurostat (breakdowns, permits, Wmo).
const upstreams = start(fakes, [], {}, /CBS_ODATA_URL=(\S+)\nEUROSTAT_API_URL=(\S+)/);
const [, cbsUrl, eurostatUrl] = await upstreams.found;
const liveDb = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'koers-e2e-live-')), 'koers.db');
const ingest = spawn(bin, ['ingest'], { env: { ...process.env, DATABASE_URL: `sqlite://${liveDb}`, CBS_ODATA_URL: cbsUrl,
  EUROSTAT_API_URL: eurostatUrl, RUST_LOG: 'error' }, stdio: 'ignore' });
const ingestCode = await new Promise(resolve => ingest.on('exit', resolve));
if (ingestCode !== 0) { console.error(`koers ingest against the fakes exited with ${ingestCode}`); process.exit(1); }
const live = serve(liveDb);
const liveBase = (await live.found)[1];

// --- harness ------------------------------------------------------------------------------
const results = [];
async function check(name, fn) {
  const t0 = Date.now();
  try { await fn(); results.push({ name, ok: true, ms: Date.now() - t0 }); }
  catch (e) { results.push({ name, ok: false, ms: Date.now() - t0, error: e.message }); }
}
function assert(cond, message) { if (!cond) throw new Error(message); }
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`].filter(a => !a.startsWith('--user-data-dir')),
});
// `bundle: false` keeps JavaScript on (for axe) but blocks the hydration bundle: the page as
// a visitor without JavaScript gets it.
async function open(urlPath, { js = true, width = 1280, bundle = true, server = base } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width, height: 900 } });
  if (!bundle) await context.route(/\/pkg\/.*\.(js|wasm)$/, r => r.abort());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  const response = await page.goto(server + urlPath, { waitUntil: 'networkidle' });
  return { page, context, errors, status: response.status() };
}
const axeSource = fs.readFileSync(path.join(here, '../../node_modules/axe-core/axe.min.js'), 'utf8');
async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
}
// The figures table (the revision history below it has its own).
const rows = page => page.locator('#series-view > .table-wrap tbody tr').count();
async function waitFor(fn, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await fn()) return true; await new Promise(r => setTimeout(r, 100)); }
  return false;
}

// --- checks -------------------------------------------------------------------------------
await check('overview shows both goals with real figures, charts load, no errors', async () => {
  const { page, context, errors, status } = await open('/');
  assert(status === 200, `status ${status}`);
  assert(await page.locator('.goal-card').count() === 2, 'expected two goal cards');
  const text = await page.locator('main').innerText();
  assert(text.includes('33.000') && text.includes('Beweegt van het doel af'), 'homelessness figure or status missing');
  assert(await waitFor(() => page.evaluate(() => [...document.images].every(i => i.complete && i.naturalWidth > 0))), 'a chart image did not load');
  await page.screenshot({ path: path.join(shots, 'overview-desktop.png'), fullPage: true });
  assert(errors.length === 0, `browser errors: ${errors.join('; ')}`);
  await context.close();
});

await check('series page: chart and table, then the range control updates in place (JS on)', async () => {
  const { page, context, errors } = await open('/series/homeless_people_18_65');
  assert(await page.locator('#series-view svg[role="img"] desc').count() === 1, 'chart with <desc> missing');
  assert(await rows(page) === 15, `expected 15 rows, got ${await rows(page)}`);
  await page.evaluate(() => { window.__noReload = true; });
  // Islands hydrate when the browser is idle.
  await page.waitForSelector('form.explorer[data-hydrated="true"]', { timeout: 10000 });
  await page.selectOption('#explorer-from', '2015');
  const changed = await waitFor(async () => (await rows(page)) === 9);
  assert(changed, `table did not update in place (rows ${await rows(page)})`);
  assert(page.url().includes('from=2015'), `URL not updated: ${page.url()}`);
  assert(await page.evaluate(() => window.__noReload === true), 'the page reloaded');
  await page.screenshot({ path: path.join(shots, 'series-desktop.png'), fullPage: true });
  assert(errors.length === 0, `browser errors: ${errors.join('; ')}`);
  await context.close();
});

await check('without JavaScript the same control is a working form', async () => {
  const { page, context } = await open('/series/homeless_people_18_65', { js: false });
  await page.selectOption('#explorer-from', '2020');
  await Promise.all([page.waitForNavigation(), page.click('.explorer button[type="submit"]')]);
  assert(page.url().includes('from=2020'), `form did not navigate: ${page.url()}`);
  assert(await rows(page) === 5, `expected 5 rows (2020-2024), got ${await rows(page)}`);
  await context.close();
});

await check('live data: breakdown checkboxes add lines and columns in place', async () => {
  const { page, context, errors } = await open('/series/homeless_people_18_65', { server: liveBase });
  await page.waitForSelector('form.explorer[data-hydrated="true"]', { timeout: 10000 });
  const columns = () => page.locator('#series-view > .table-wrap thead th').count();
  assert(await columns() === 5, `single-category table expected 5 columns, got ${await columns()}`);
  await page.check('input[name="category"][value="3000"]');
  assert(await waitFor(async () => (await columns()) === 3), `expected period + total + men columns, got ${await columns()}`);
  await page.check('input[name="category"][value="4000"]');
  assert(await waitFor(async () => (await columns()) === 4), 'women column did not appear');
  assert(page.url().includes('category=3000') && page.url().includes('category=4000'), `URL not updated: ${page.url()}`);
  const legend = await page.locator('#series-view svg').textContent();
  assert(legend.includes('Mannen') && legend.includes('Vrouwen'), 'chart legend lacks the breakdown lines');
  await page.screenshot({ path: path.join(shots, 'series-breakdown-desktop.png'), fullPage: true });
  assert(errors.length === 0, `browser errors: ${errors.join('; ')}`);
  await context.close();
});

await check('live data: topic pages show permits, Wmo and Eurostat charts', async () => {
  for (const [url, shot] of [['/housing', 'housing'], ['/een-thuis-voor-iedereen', 'groups'], ['/en/countries', 'countries']]) {
    const { page, context, status } = await open(url, { server: liveBase });
    assert(status === 200, `${url}: status ${status}`);
    const text = await page.locator('main').innerText();
    assert(!text.includes('Nog geen cijfers') && !text.includes('No figures yet'), `${url} still waits for data`);
    await page.screenshot({ path: path.join(shots, `${shot}-desktop.png`), fullPage: true });
    await context.close();
  }
});

await check('English pages: language, texts and number formats', async () => {
  const { page, context, status } = await open('/en/series/homes_added_total');
  assert(status === 200, `status ${status}`);
  assert(await page.getAttribute('html', 'lang') === 'en', 'lang is not en');
  const text = await page.locator('main').innerText();
  assert(text.includes('900,000') && text.includes('Needs acceleration'), 'English texts missing');
  await context.close();
});

await check('keyboard: the skip link comes first and moves focus to the content', async () => {
  const { page, context } = await open('/');
  await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.activeElement.classList.contains('skip-link')), 'first Tab stop is not the skip link');
  await page.keyboard.press('Enter');
  assert(await waitFor(() => page.evaluate(() => location.hash === '#main')), 'skip link did not go to #main');
  // Every control of the explorer is reachable with Tab.
  const { page: p2, context: c2 } = await open('/series/homeless_people_18_65');
  const seen = new Set();
  for (let i = 0; i < 25; i++) { await p2.keyboard.press('Tab'); seen.add(await p2.evaluate(() => document.activeElement.id || document.activeElement.tagName)); }
  for (const id of ['explorer-from', 'explorer-to', 'BUTTON']) assert(seen.has(id), `${id} not reachable by keyboard`);
  await context.close(); await c2.close();
});

await check('unknown pages are friendly 404s with navigation', async () => {
  const { page, context, status } = await open('/en/series/nothing_here');
  assert(status === 404, `status ${status}`);
  assert(await page.locator('nav a').count() >= 3, 'navigation missing');
  await context.close();
});

for (const [label, url, js, which] of [['overview nl', '/', true], ['overview en', '/en', true], ['series nl', '/series/homeless_people_18_65', true],
  ['series en', '/en/series/homes_added_total', true], ['series list', '/series', true], ['series nl, no JS', '/series/new_build_homes', false],
  ['404 en', '/en/missing', true], ['housing', '/housing', true], ['programme en', '/en/een-thuis-voor-iedereen', true],
  ['countries', '/countries', true], ['series with vintage and breakdown form', '/series/homeless_people_18_65?vintage=2026-01-01', true],
  ['live: breakdown lines', '/series/homeless_people_18_65?category=3000&category=4000', true, 'live'],
  ['live: housing', '/housing', true, 'live'], ['live: countries en', '/en/countries', true, 'live']]) {
  await check(`axe-core: no WCAG 2.1 A/AA violations (${label})`, async () => {
    const { page, context } = await open(url, { bundle: js, server: which === 'live' ? liveBase : base });
    const violations = await axe(page);
    assert(violations.length === 0, violations.join('\n      '));
    await context.close();
  });
}

for (const [name, url] of [['overview', '/'], ['series', '/series/homeless_people_18_65']]) {
  await check(`phone width (390 px): ${name} has no horizontal scroll`, async () => {
    const { page, context } = await open(url, { width: 390 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.screenshot({ path: path.join(shots, `${name}-phone.png`), fullPage: true });
    assert(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await context.close();
  });
}

// --- report -------------------------------------------------------------------------------
await browser.close();
for (const p of [first.child, live.child, upstreams.child]) p.kill('SIGTERM');
const failed = results.filter(r => !r.ok);
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.ms} ms)${r.ok ? '' : `\n      ${r.error}`}`);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed; screenshots in ${path.relative(process.cwd(), shots)}/`);
process.exit(failed.length ? 1 : 0);
