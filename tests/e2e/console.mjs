// The monitoring console in the browser, as the ministry team uses it: sign in, watch the
// ingestion and run a source, change a target, add an event, upload a CSV (a bad one, then a
// good one), set up a webhook and send a test, add a colleague, read the audit log, sign out.
// Every console page is checked with axe-core (WCAG 2.1 AA) and at 320 px, and screenshotted.
import http from 'node:http';
import { ADMIN, assert, axe, check, newContext, newPage, shot, waitFor } from './harness.mjs';
import { reflowProblems } from './sweep.mjs';

/** Signs in on a fresh page of `context`; returns the page (on the console start page). */
async function signIn(context, base, { username, password }) {
  const page = await newPage(context);
  await page.goto(`${base}/console`, { waitUntil: 'load' });
  assert(page.url().includes('/console/login'), `not sent to the sign-in page: ${page.url()}`);
  await page.getByLabel(/Gebruikersnaam|Username/).fill(username);
  await page.getByLabel(/^(Wachtwoord|Password)$/).fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /Inloggen|Sign in/ }).click()]);
  return page;
}

/** Submits the form that contains `locator` and waits for the next page. */
async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

/** A local webhook receiver: records every delivery. */
function receiver() {
  const deliveries = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', d => { body += d; });
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () =>
    resolve({ url: `http://127.0.0.1:${server.address().port}/hook`, deliveries, close: () => server.close() })));
}

export async function consoleSuite(browser, { live }) {
  const context = await newContext(browser, { js: false, locale: 'nl-NL' });
  let page;

  await check('console: sign in as the administrator made with `koers user add --admin`', async () => {
    page = await signIn(context, live, ADMIN);
    assert(new URL(page.url()).pathname === '/console', `after sign-in: ${page.url()}`);
    const header = await page.locator('header').innerText();
    assert(header.includes(ADMIN.username) && header.includes('Beheerder'), `header: ${header}`);
  });

  const pages = ['/console', '/console/goals', '/console/events', '/console/uploads', '/console/alerts',
    '/console/users', '/console/audit', '/console/account'];
  await check('console: every page answers, is axe-clean and reflows at 320 px', async () => {
    const axeContext = await newContext(browser, { axe: true, locale: 'nl-NL', storageState: await context.storageState() });
    const failures = [];
    for (const path of pages) {
      const p = await newPage(axeContext);
      const response = await p.goto(live + path, { waitUntil: 'load' });
      if (response.status() !== 200) { failures.push(`${path}: status ${response.status()}`); await p.close(); continue; }
      const problems = await axe(p);
      if (problems.length) failures.push(`${path}:\n  ${problems.join('\n  ')}`);
      await p.screenshot({ path: shot(`console${path.replace(/\//g, '-')}`), fullPage: true });
      await p.setViewportSize({ width: 320, height: 900 });
      const reflow = await p.evaluate(reflowProblems);
      if (reflow.length) failures.push(`${path}: at 320 px: ${reflow.join('\n  ')}`);
      if (path === '/console' || path === '/console/goals') await p.screenshot({ path: shot(`console${path.replace(/\//g, '-')}-phone`), fullPage: true });
      await p.close();
    }
    await axeContext.close();
    assert(failures.length === 0, failures.join('\n'));
    return `${pages.length} pages`;
  });

  await check('console: run a source now and watch it finish', async () => {
    await page.goto(`${live}/console`, { waitUntil: 'load' });
    const text = await page.locator('main').innerText();
    assert(text.includes('cbs-homeless') || text.includes('Dakloze'), `health page: ${text.slice(0, 300)}`);
    const form = page.locator('form[action="/console/sources/cbs-homeless/run"]');
    await submit(page, form.getByRole('button'));
    assert(/\/console\/runs\//.test(page.url()), `not on the run page: ${page.url()}`);
    // The page reloads itself (no script) until the run has ended.
    const ended = await waitFor(async () => (await page.locator('meta[http-equiv="refresh"]').count()) === 0, 30000);
    assert(ended, 'the run page kept refreshing');
    const result = await page.locator('main').innerText();
    assert(/Klaar op/.test(result) && /(geslaagd|ongewijzigd)/.test(result), `run result: ${result.slice(0, 400)}`);
  });

  await check('console: an editor change to a goal makes a new target version, shown on the public page', async () => {
    await page.goto(`${live}/console/goals/zero-homelessness-2030`, { waitUntil: 'load' });
    const form = page.locator('form[action="/console/goals/zero-homelessness-2030"]');
    await form.locator('[name="reason"]').fill('Browsertest: toelichting bijgewerkt');
    await form.locator('[name="note"]').fill('Doel uit het Nationaal Actieplan Dakloosheid; bijgewerkt in de browsertest.');
    await submit(page, form.locator('button[type="submit"]'));
    const flash = await page.locator('.flash').innerText();
    assert(flash.includes('doelversie 2'), `flash: ${flash}`);
    const publicPage = await (await fetch(`${live}/`)).text();
    assert(publicPage.includes('doelversie 2'), 'the public overview does not name target version 2');
  });

  await check('console: an invalid goal change is refused with a linked error summary and changes nothing', async () => {
    await page.goto(`${live}/console/goals/zero-homelessness-2030`, { waitUntil: 'load' });
    const form = page.locator('form[action="/console/goals/zero-homelessness-2030"]');
    await form.locator('[name="target_value"]').fill('veel');
    await form.locator('[name="reason"]').fill('fout');
    await submit(page, form.locator('button[type="submit"]'));
    const summary = page.locator('.error-summary');
    assert(await summary.count() === 1, 'no error summary');
    const link = summary.locator('a[href="#target_value"]');
    assert(await link.count() === 1, 'the summary does not link to the field');
    assert(await page.locator('#target_value[aria-invalid="true"]').count() === 1, 'the field is not marked invalid');
    const publicPage = await (await fetch(`${live}/`)).text();
    assert(!publicPage.includes('doelversie 3'), 'a refused change made a version');
  });

  await check('console: add an event', async () => {
    await page.goto(`${live}/console/events`, { waitUntil: 'load' });
    const form = page.locator('form[action="/console/events"]');
    await form.locator('[name="date"]').fill('2026-11-20');
    await form.locator('[name="title_nl"]').fill('Browsertest: Monitor dakloosheid gepubliceerd');
    await form.locator('[name="title_en"]').fill('Browser test: homelessness monitor published');
    await form.locator('[name="url"]').fill('https://www.volkshuisvestingnederland.nl/');
    await submit(page, form.getByRole('button'));
    const flash = await page.locator('.flash').innerText();
    assert(flash.includes('Browsertest: Monitor dakloosheid'), `flash: ${flash}`);
  });

  await check('console: a bad CSV upload lists its problems by line and stores nothing; a good one is stored', async () => {
    await page.goto(`${live}/console/uploads`, { waitUntil: 'load' });
    const form = page.locator('form[action="/console/uploads"]');
    await form.locator('#target-new').check();
    await form.locator('[name="new_id"]').fill('ethos_regional_e2e');
    await form.locator('[name="new_title_nl"]').fill('Daklozen per regio (ETHOS, browsertest)');
    await form.locator('[name="new_title_en"]').fill('Homeless people by region (ETHOS, browser test)');
    await form.locator('[name="new_licence"]').fill('CC BY 4.0');
    await form.locator('[name="new_licence_url"]').fill('https://creativecommons.org/licenses/by/4.0/');
    await form.locator('[name="source_label"]').fill('Regionale ETHOS-telling (browsertest)');
    await form.locator('[name="source_url"]').fill('https://example.org/ethos');
    const bad = 'period,value,category\n2024,1200,GM0344\n2024,abc,GM0363\n2024,900,GM0344\n';
    await form.locator('#file').setInputFiles({ name: 'ethos.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await submit(page, form.locator('button[type="submit"]'));
    const problems = await page.locator('main').innerText();
    assert(/\b3\b/.test(problems) && /\b4\b/.test(problems), `no line numbers: ${problems.slice(0, 600)}`);
    const stored = await (await fetch(`${live}/api/v1/series/ethos_regional_e2e`)).status;
    assert(stored === 404, `a bad file stored something (${stored})`);

    const again = page.locator('form[action="/console/uploads"]');
    if (!(await again.locator('#target-new').isChecked())) await again.locator('#target-new').check();
    const good = 'period,value,category\n2023,1100,GM0344\n2024,1200,GM0344\n2024,950,GM0363\n';
    await again.locator('#file').setInputFiles({ name: 'ethos.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await submit(page, again.locator('button[type="submit"]'));
    assert(await page.locator('.flash').count() === 1, `no confirmation: ${(await page.locator('main').innerText()).slice(0, 800)}`);
    const flash = await page.locator('.flash').innerText();
    assert(/3 nieuw/.test(flash), `flash: ${flash}`);
    assert((await fetch(`${live}/api/v1/series/ethos_regional_e2e?all=true`)).status === 200, 'the uploaded series is not served');
  });

  await check('console: add a webhook and send a test: the receiver gets a signed message', async () => {
    const hook = await receiver();
    try {
      await page.goto(`${live}/console/alerts`, { waitUntil: 'load' });
      const form = page.locator('form[action="/console/alerts/webhooks"]');
      await form.locator('#webhook-name').fill('Team monitoring');
      await form.locator('#webhook-url').fill(hook.url);
      await submit(page, form.getByRole('button'));
      const added = await page.locator('.flash').innerText();
      assert(/toegevoegd/.test(added) && /zichtbaar/.test(added), `flash: ${added}`);
      const test = page.locator('form[action$="/test"]').first();
      await submit(page, test.getByRole('button'));
      const flash = await page.locator('.flash').innerText();
      assert(/afgeleverd met HTTP 200/.test(flash), `test result: ${flash}`);
      assert(hook.deliveries.length === 1, `${hook.deliveries.length} deliveries`);
      const signature = hook.deliveries[0].headers['x-koers-signature'] ?? '';
      assert(/^sha256=[0-9a-f]{64}$/.test(signature), `signature header: ${signature}`);
    } finally { hook.close(); }
  });

  await check('console: add a colleague as viewer; the audit log shows it', async () => {
    await page.goto(`${live}/console/users`, { waitUntil: 'load' });
    const form = page.locator('form[action="/console/users"]');
    await form.getByLabel(/Gebruikersnaam|Username/).fill('collega');
    await form.getByLabel(/Rol|Role/).selectOption('viewer');
    await form.getByLabel(/Eerste wachtwoord|First password/).fill('collega heeft een lang wachtwoord');
    await submit(page, form.getByRole('button'));
    assert((await page.locator('.flash').innerText()).includes('collega'), 'no confirmation');
    await page.goto(`${live}/console/audit`, { waitUntil: 'load' });
    const log = await page.locator('main').innerText();
    assert(log.includes('user.add') && log.includes('user:collega'), `audit log: ${log.slice(0, 400)}`);
  });

  await check('console: a viewer sees the console but no admin pages', async () => {
    const viewerContext = await newContext(browser, { js: false, locale: 'nl-NL' });
    const viewer = await signIn(viewerContext, live, { username: 'collega', password: 'collega heeft een lang wachtwoord' });
    const nav = await viewer.locator('nav.console-nav').innerText();
    assert(!nav.includes('Gebruikers') && !nav.includes('Logboek'), `viewer nav: ${nav}`);
    const response = await viewer.goto(`${live}/console/users`, { waitUntil: 'load' });
    assert(response.status() === 403, `viewer got ${response.status()} on /console/users`);
    assert((await viewer.locator('main').innerText()).includes('Lezer'), 'the refusal does not name the role');
    await viewerContext.close();
  });

  await check('console: sign out', async () => {
    await page.goto(`${live}/console/account`, { waitUntil: 'load' });
    await submit(page, page.getByRole('button', { name: /Uitloggen|Sign out/ }));
    assert(page.url().includes('/console/login'), `after sign-out: ${page.url()}`);
    const response = await page.goto(`${live}/console/audit`, { waitUntil: 'load' });
    assert(page.url().includes('/console/login'), `still signed in: ${response.status()} ${page.url()}`);
  });

  await context.close();
}

export { receiver, signIn, submit };
