// Shared pieces of the browser tests: the servers under test, one Chromium, page helpers,
// axe-core, and the check/report harness. Used by browser.mjs and its suites.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const shots = path.join(here, 'screenshots');
fs.mkdirSync(shots, { recursive: true });
export const shot = name => path.join(shots, `${name}.png`);

// --- servers ------------------------------------------------------------------------------
/** Starts a process and resolves with the first match of `pattern` in its stdout. */
export function start(cmd, args, env, pattern) {
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
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`${cmd} exited with ${code}:\n${log}`)); });
  });
  found.catch(() => {});
  return { child, found };
}

/**
 * Two `koers serve` processes on fresh SQLite stores: `base`, a first run with only the
 * built-in published figures, and `live`, filled by `koers ingest` from the fake CBS and
 * Eurostat (breakdowns, permits, Wmo, other countries).
 */
export async function startServers(bin, fakes) {
  const tmp = prefix => path.join(fs.mkdtempSync(path.join(os.tmpdir(), prefix)), 'koers.db');
  const serve = (db, env = {}) => start(bin, ['serve', '--addr', '127.0.0.1:0', '--no-schedule'],
    { DATABASE_URL: `sqlite://${db}`, RUST_LOG: 'warn', ...env }, /running at (http:\/\/\S+)/);
  const run = (args, env, input) => new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, RUST_LOG: 'error', ...env }, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', d => { err += d; });
    child.on('exit', code => code === 0 ? resolve() : reject(new Error(`koers ${args.join(' ')} exited with ${code}: ${err}`)));
    child.stdin.end(input ?? '');
  });
  const children = [];
  const first = serve(tmp('koers-e2e-'));
  children.push(first.child);
  const upstreams = start(fakes, [], {}, /CBS_ODATA_URL=(\S+)\nEUROSTAT_API_URL=(\S+)/);
  children.push(upstreams.child);
  const stop = () => { for (const c of children) if (c.exitCode === null) c.kill('SIGTERM'); };
  try {
    const [, cbsUrl, eurostatUrl] = await upstreams.found;
    const liveDb = tmp('koers-e2e-live-');
    const upstreamEnv = { DATABASE_URL: `sqlite://${liveDb}`, CBS_ODATA_URL: cbsUrl, EUROSTAT_API_URL: eurostatUrl };
    await run(['ingest'], upstreamEnv);
    // The console's first administrator, made the way the README says.
    await run(['user', 'add', '--admin', ADMIN.username, '--password-stdin'], upstreamEnv, `${ADMIN.password}\n`);
    const live = serve(liveDb, { CBS_ODATA_URL: cbsUrl, EUROSTAT_API_URL: eurostatUrl });
    children.push(live.child);
    return { base: (await first.found)[1], live: (await live.found)[1], stop };
  } catch (e) { stop(); throw e; }
}

/** The console administrator of the `live` server. */
export const ADMIN = { username: 'beheerder', password: 'een lang e2e-wachtwoord' };

// --- harness ------------------------------------------------------------------------------
export const results = [];
/**
 * Every Content-Security-Policy violation in any page or frame of any context made with
 * `newContext`: reported by the `securitypolicyviolation` event (JavaScript on) and by
 * Chromium's "Refused to ..." console messages (also with JavaScript off). A check during
 * which one happens fails, whatever else it asserts.
 */
export const cspViolations = [];
export async function check(name, fn) {
  const t0 = Date.now();
  const cspBefore = cspViolations.length;
  let result;
  try { const note = await fn(); result = { name, ok: true, note }; }
  catch (e) { result = { name, ok: false, error: e.message }; }
  const csp = cspViolations.slice(cspBefore);
  if (csp.length) {
    const lines = [...new Set(csp.map(v => `CSP violation on ${v.url}: ${v.text}`))];
    result = { name, ok: false, error: [result.error, ...lines].filter(Boolean).join('\n') };
  }
  result.ms = Date.now() - t0;
  results.push(result);
  printResult(result);
  return result.ok;
}
export function printResult(r) {
  const label = r.ok ? 'ok  ' : 'FAIL';
  console.log(`${label} ${r.name}${r.note ? ` · ${r.note}` : ''} (${r.ms} ms)${r.ok ? '' : `\n      ${r.error.split('\n').join('\n      ')}`}`);
}
export function assert(cond, message) { if (!cond) throw new Error(message); }
export async function waitFor(fn, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await fn()) return true; await new Promise(r => setTimeout(r, 50)); }
  return false;
}

// --- browser ------------------------------------------------------------------------------
export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A browser context. `bundle: false` keeps JavaScript on (so axe can run) but blocks the
 * hydration bundle: the page as a visitor without JavaScript gets it. `js: false` turns
 * JavaScript off altogether (forms only).
 */
export async function newContext(browser, { js = true, bundle = true, width = 1280, height = 900, axe = false, ...rest } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width, height }, ...rest });
  await watchCsp(context);
  if (!bundle) await context.route(/\/pkg\/.*\.(js|wasm)$/, r => r.abort());
  if (axe) await context.addInitScript({ content: axeSource });
  return context;
}

/**
 * Reports every CSP violation in the context's pages and frames to `cspViolations`. The init
 * script and the binding go through the DevTools protocol, so the policy under test does not
 * apply to them.
 */
export async function watchCsp(context) {
  await context.exposeBinding('__koersCspViolation', ({ frame }, v) => {
    cspViolations.push({ url: frame.url(), text: `${v.directive} refused ${v.blocked || 'inline code'}${v.sample ? ` (${v.sample})` : ''} at ${v.source}:${v.line}` });
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', e => {
      window.__koersCspViolation?.({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile, line: e.lineNumber });
    });
  });
  context.on('console', m => {
    if (/Refused to |Content Security Policy/.test(m.text())) cspViolations.push({ url: m.page()?.url() ?? '?', text: m.text() });
  });
}

/** A page that records its script errors and console errors in `page.errors`. */
export async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', e => page.errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') page.errors.push(m.text()); });
  return page;
}

/** Opens `url` in a fresh context and page (closed with `context.close()`). */
export async function open(browser, url, { wait = 'networkidle', ...options } = {}) {
  const context = await newContext(browser, options);
  const page = await newPage(context);
  const response = await page.goto(url, { waitUntil: wait });
  return { page, context, errors: page.errors, status: response.status() };
}

/** Waits until every island on the page is hydrated (the explorer marks its form). */
export async function hydrated(page, ms = 10000) {
  const islands = await page.locator('leptos-island').count();
  if (islands === 0) return;
  await page.waitForSelector('form.explorer[data-hydrated="true"]', { timeout: ms });
}

// --- axe-core -----------------------------------------------------------------------------
export const axeSource = fs.readFileSync(path.join(here, '../../node_modules/axe-core/axe.min.js'), 'utf8');
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
/** Runs axe-core on the page; returns one line per violation (id, impact, help, selectors). */
export async function axe(page) {
  if (!await page.evaluate(() => typeof window.axe === 'object')) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(tags => window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] })
    .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')) }))), axeTags);
  return violations.map(v => `${v.id} (${v.impact}, ${v.targets.length}×): ${v.help} -> ${v.targets.slice(0, 4).join(' | ')}`);
}

// --- report -------------------------------------------------------------------------------
export function summary() {
  const failed = results.filter(r => !r.ok);
  if (failed.length) {
    console.log('\nfailed:');
    for (const r of failed) console.log(`  ${r.name}`);
  }
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed; screenshots in ${path.relative(process.cwd(), shots)}/`);
  return failed.length;
}
