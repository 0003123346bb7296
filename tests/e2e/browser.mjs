// Browser tests: Debian's Chromium driven by playwright-core against the real `koers` binary,
// once on a fresh SQLite store (first-run snapshot) and once after an ingest from the fake CBS
// and Eurostat. Usage: node tests/e2e/browser.mjs path/to/koers path/to/fake_upstreams
//
// Suites: the main tasks with mouse and forms (this file), the error pages (this file), the
// monitoring console (console.mjs), the
// keyboard walk-through and reduced motion (keyboard.mjs), and the sweep of every page in both
// languages with and without JavaScript: axe-core, reflow at 320 px, screenshots (sweep.mjs).
// Every check also fails on any Content-Security-Policy violation in any page or frame it
// opened (harness.mjs, `cspViolations`). Screenshots go to tests/e2e/screenshots/. Exits
// non-zero when a check fails.
import fs from 'node:fs';
import http from 'node:http';
import { assert, check, hydrated, launch, newContext, newPage, open, shot, startServers, summary, waitFor } from './harness.mjs';
import { consoleSuite } from './console.mjs';
import { keyboard } from './keyboard.mjs';
import { sweep } from './sweep.mjs';

const [bin, fakes] = process.argv.slice(2);
if (!bin || !fs.existsSync(bin) || !fakes || !fs.existsSync(fakes)) {
  console.error(`usage: node browser.mjs path/to/koers path/to/fake_upstreams (got ${bin}, ${fakes})`);
  process.exit(2);
}
const t0 = Date.now();
const servers = await startServers(bin, fakes);
const { base, live } = servers;
const browser = await launch();

// The figures table (the revision history below it has its own).
const rows = page => page.locator('#series-view > .table-wrap tbody tr').count();

// --- main tasks ---------------------------------------------------------------------------
await check('overview shows both goals with real figures, charts load, no errors', async () => {
  const { page, context, errors, status } = await open(browser, `${base}/`);
  assert(status === 200, `status ${status}`);
  assert(await page.locator('.goal-card').count() === 2, 'expected two goal cards');
  const text = await page.locator('main').innerText();
  assert(text.includes('33.000') && text.includes('Beweegt van het doel af'), 'homelessness figure or status missing');
  assert(await waitFor(() => page.evaluate(() => [...document.images].every(i => i.complete && i.naturalWidth > 0))), 'a chart image did not load');
  assert(errors.length === 0, `browser errors: ${errors.join('; ')}`);
  await context.close();
});

await check('series page: chart and table, then the range control updates in place (JS on)', async () => {
  const { page, context, errors } = await open(browser, `${base}/series/homeless_people_18_65`);
  assert(await page.locator('#series-view .chart-wide svg[role="img"] desc').count() === 1, 'chart with <desc> missing');
  assert(await rows(page) === 15, `expected 15 rows, got ${await rows(page)}`);
  await page.evaluate(() => { window.__noReload = true; });
  await hydrated(page);
  await page.selectOption('#explorer-from', '2015');
  assert(await waitFor(async () => (await rows(page)) === 9), `table did not update in place (rows ${await rows(page)})`);
  assert(page.url().includes('from=2015'), `URL not updated: ${page.url()}`);
  assert(await page.evaluate(() => window.__noReload === true), 'the page reloaded');
  assert(errors.length === 0, `browser errors: ${errors.join('; ')}`);
  await context.close();
});

await check('under the content security policy: the bootstrap carries the nonce, the islands hydrate, styles load', async () => {
  const context = await newContext(browser);
  const page = await newPage(context);
  const { errors } = page;
  const policy = (await page.goto(`${base}/series/homeless_people_18_65`, { waitUntil: 'load' })).headers()['content-security-policy'] ?? '';
  const nonce = policy.match(/'nonce-([^']+)'/)?.[1];
  assert(nonce && !policy.includes('unsafe-inline'), `policy: ${policy}`);
  assert(/frame-ancestors 'none'/.test(policy), `policy: ${policy}`);
  await hydrated(page);
  const got = await page.evaluate(() => ({
    inline: [...document.scripts].filter(s => !s.src).map(s => s.nonce),
    // Chromium hides the nonce attribute once parsed (only the property keeps it).
    attributes: [...document.scripts].map(s => s.getAttribute('nonce')).filter(Boolean),
    sheets: [...document.styleSheets].map(s => s.cssRules.length),
  }));
  assert(got.inline.length >= 1 && got.inline.every(n => n === nonce), `inline scripts ${JSON.stringify(got.inline)}, nonce ${nonce}`);
  assert(got.attributes.length === 0, `a nonce attribute is readable: ${got.attributes}`);
  assert(got.sheets.length >= 1 && got.sheets.every(n => n > 10), `stylesheets: ${got.sheets}`);
  assert(errors.length === 0, `browser errors: ${errors.join('; ')}`);
  await context.close();
  return `nonce ${nonce.length} chars, ${got.inline.length} inline script(s)`;
});

await check('without JavaScript the same control is a working form', async () => {
  const { page, context } = await open(browser, `${base}/series/homeless_people_18_65`, { js: false });
  await page.selectOption('#explorer-from', '2020');
  await Promise.all([page.waitForNavigation(), page.click('.explorer button[type="submit"]')]);
  assert(page.url().includes('from=2020'), `form did not navigate: ${page.url()}`);
  assert(await rows(page) === 5, `expected 5 rows (2020-2024), got ${await rows(page)}`);
  await context.close();
});

await check('live data: topic pages show permits, Wmo and Eurostat charts', async () => {
  for (const url of ['/housing', '/een-thuis-voor-iedereen', '/en/countries']) {
    const { page, context, status } = await open(browser, live + url, { wait: 'load' });
    assert(status === 200, `${url}: status ${status}`);
    const text = await page.locator('main').innerText();
    assert(!text.includes('Nog geen cijfers') && !text.includes('No figures yet'), `${url} still waits for data`);
    await context.close();
  }
});

await check('English pages: language, texts and number formats', async () => {
  const { page, context, status } = await open(browser, `${base}/en/series/homes_added_total`, { wait: 'load' });
  assert(status === 200, `status ${status}`);
  assert(await page.getAttribute('html', 'lang') === 'en', 'lang is not en');
  const text = await page.locator('main').innerText();
  assert(text.includes('900,000') && text.includes('Needs acceleration'), 'English texts missing');
  await context.close();
});

// --- error pages --------------------------------------------------------------------------
// Friendly (a heading that says what happened, a way back), in the page's language, with the
// right status, and with the site's navigation and language switch kept.
const errorPages = [
  ['/bestaat-niet', 404, 'nl', 'Pagina niet gevonden'],
  ['/en/missing', 404, 'en', 'Page not found'],
  ['/series/bestaat_niet', 404, 'nl', 'Pagina niet gevonden'],
  ['/en/series/nothing_here', 404, 'en', 'Page not found'],
  ['/series/homeless_people_18_65?from=abc', 400, 'nl', 'Deze keuze kan niet'],
  ['/en/series/homeless_people_18_65?from=abc', 400, 'en', 'This choice is not possible'],
  ['/en/series/homeless_people_18_65?vintage=yesterday', 400, 'en', 'This choice is not possible'],
];
await check('error pages (404, bad parameters) are friendly, in both languages, and keep the navigation', async () => {
  const { page, context } = await open(browser, `${base}/`, { wait: 'load' });
  const failures = [];
  for (const [url, status, lang, title] of errorPages) {
    const response = await page.goto(base + url, { waitUntil: 'load' });
    const got = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      h1: document.querySelector('main h1')?.textContent.trim(),
      title: document.title,
      body: document.querySelector('main')?.innerText ?? '',
      nav: document.querySelectorAll('header nav a[href]').length,
      home: !!document.querySelector('main a[href="/"], main a[href="/en"]'),
      skip: !!document.querySelector('a.skip-link[href="#main"]'),
    }));
    const problems = [];
    if (response.status() !== status) problems.push(`status ${response.status()}, expected ${status}`);
    if (got.lang !== lang) problems.push(`lang ${got.lang}`);
    if (got.h1 !== title) problems.push(`<h1> "${got.h1}", expected "${title}"`);
    if (!got.title.startsWith(title)) problems.push(`<title> "${got.title}"`);
    if (got.nav < 6) problems.push(`only ${got.nav} navigation links`);
    if (!got.home) problems.push('no link back to the overview in <main>');
    if (!got.skip) problems.push('no skip link');
    // The message explains; it never shows internals.
    if (got.body.length < 40 || /panic|error:|serverfn|\bat \w+::/i.test(got.body)) problems.push(`message: ${JSON.stringify(got.body.slice(0, 120))}`);
    if (problems.length) failures.push(`${url}: ${problems.join('; ')}`);
  }
  assert(failures.length === 0, failures.join('\n'));
  await context.close();
  return `${errorPages.length} pages`;
});

await check('the API answers errors as JSON', async () => {
  const failures = [];
  for (const [url, status, code] of [['/api/v1/series/nothing_here', 404, 'not_found'],
    ['/api/v1/series/homeless_people_18_65?from=abc', 400, 'invalid_input']]) {
    const response = await fetch(base + url);
    const type = response.headers.get('content-type') ?? '';
    const body = type.includes('json') ? await response.json() : null;
    if (response.status !== status || body?.error?.code !== code || !body?.error?.message)
      failures.push(`${url}: ${response.status} ${type} ${JSON.stringify(body)}`);
  }
  assert(failures.length === 0, failures.join('\n'));
});

await check('a journalist pastes the pinned embed code into an article on another site: the iframe fits its content', async () => {
  const html = await (await fetch(`${base}/series/homeless_people_18_65`)).text();
  const raw = html.match(/<textarea id="embed-pinned"[^>]*>([^<]*)<\/textarea>/)?.[1];
  assert(raw, 'no pinned embed code on the series page');
  const code = raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  assert(code.includes('vintage=') && code.includes('/embed.js'), `unexpected code: ${code}`);
  // The article is on a news site of its own: another origin (localhost, not 127.0.0.1), no
  // policy of Koers's; the embed's own policy must let that site frame it.
  const article = `<!DOCTYPE html><html lang="en"><head><title>An article</title><link rel="icon" href="data:,"></head><body><h1>An article</h1>${code}<p>After.</p></body></html>`;
  const news = http.createServer((_, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(article); });
  await new Promise(resolve => news.listen(0, '127.0.0.1', resolve));
  const host = `http://localhost:${news.address().port}`;
  const { page, context, errors } = await open(browser, `${host}/artikel`);
  assert(new URL(page.url()).origin !== new URL(base).origin, 'the article is on the same origin');
  const frame = page.locator('iframe[data-koers-embed]');
  const fits = async () => {
    const outer = await frame.evaluate(f => f.getBoundingClientRect().height);
    const inner = await page.frames()[1]?.evaluate(() => document.documentElement.getBoundingClientRect().height);
    return inner > 300 && Math.abs(outer - Math.ceil(inner)) <= 2 && outer !== 560;
  };
  assert(await waitFor(fits), 'the iframe was not sized to its content');
  const inside = page.frames()[1];
  assert(new URL(inside.url()).origin === new URL(base).origin, `frame at ${inside.url()}`);
  assert(await inside.evaluate(() => document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0), 'the embed has no styles');
  const body = await inside.locator('body').innerText();
  assert(/Vastgezette grafiek/.test(body) && /Bron: CBS/.test(body), `embed text: ${body.slice(0, 200)}`);
  assert(errors.length === 0, `browser errors: ${errors.join('; ')}`);
  await page.screenshot({ path: shot('embed-in-article'), fullPage: true });
  await context.close();
  news.close();
});

// --- the monitoring console ---------------------------------------------------------------
await consoleSuite(browser, servers);

// --- keyboard, then every page --------------------------------------------------------------
await keyboard(browser, servers);
await sweep(browser, servers);

// --- report -------------------------------------------------------------------------------
await browser.close();
servers.stop();
const failed = summary();
console.log(`browser tests took ${Math.round((Date.now() - t0) / 1000)} s`);
process.exit(failed ? 1 : 0);
