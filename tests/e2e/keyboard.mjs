// Keyboard-only walk-through of the main tasks (no mouse), with a visible focus indicator at
// every step, and the explorer under prefers-reduced-motion.
import { check, assert, waitFor, hydrated, newContext, newPage } from './harness.mjs';

/** In the page: the focused element and whether it shows a focus indicator. */
function focused() {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: typeof el.className === 'string' ? el.className : '',
    href: el.getAttribute('href'), name: el.getAttribute('name'), value: el.value ?? null,
    text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40),
    inGoalCard: !!el.closest('.goal-card'), inMain: !!el.closest('main'),
    tabbable: el !== document.body && el.tabIndex >= 0,
    indicator: outline || shadow, outline: `${s.outlineStyle} ${s.outlineWidth}`, shadow: s.boxShadow,
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
  };
}
const label = f => `<${f.tag}${f.id ? `#${f.id}` : ''}${f.href ? ` href=${f.href}` : ''}${f.value && f.tag !== 'a' ? ` value=${f.value}` : ''}>${f.text ? ` "${f.text}"` : ''}`;

/** Presses a key and checks the element then focused shows that it has focus. */
async function press(page, key, trail) {
  await page.keyboard.press(key);
  const f = await page.evaluate(focused);
  trail.push(`${key}: ${label(f)}`);
  if (f.tabbable) {
    assert(f.indicator, `no visible focus indicator on ${label(f)} (outline ${f.outline}, box-shadow ${f.shadow})`);
    assert(f.onScreen, `focused element is not on screen: ${label(f)}`);
  }
  return f;
}
/** Presses Tab (or Shift+Tab) until `want(focused)` holds; at most `max` presses. */
async function tabTo(page, want, what, trail, { back = false, max = 60 } = {}) {
  for (let i = 0; i < max; i++) {
    const f = await press(page, back ? 'Shift+Tab' : 'Tab', trail);
    if (want(f)) return f;
  }
  throw new Error(`${what} not reached with ${max} × ${back ? 'Shift+Tab' : 'Tab'}; last stops: ${trail.slice(-6).join(' · ')}`);
}
const rows = page => page.locator('#series-view > .table-wrap tbody tr').count();
const columns = page => page.locator('#series-view > .table-wrap thead th').count();

export async function keyboard(browser, { base, live }) {
  await check('keyboard: skip link, first goal card, "Van" by arrow key and by typing, language switch (focus visible at every step)', async () => {
    const context = await newContext(browser);
    const page = await newPage(context);
    const trail = [];
    await page.goto(`${base}/`, { waitUntil: 'load' });
    let f = await press(page, 'Tab', trail);
    assert(f.cls.includes('skip-link'), `first Tab stop is not the skip link but ${label(f)}`);
    await page.keyboard.press('Enter');
    assert(await waitFor(() => page.evaluate(() => location.hash === '#main' && document.activeElement.id === 'main')),
      'the skip link did not move focus to <main id="main">');
    f = await press(page, 'Tab', trail);
    assert(f.inMain, `after the skip link, Tab went to ${label(f)}, outside <main>`);
    if (!(f.inGoalCard && f.href === '/series/homeless_people_18_65'))
      f = await tabTo(page, g => g.inGoalCard && g.href?.startsWith('/series/'), "the first goal card's series link", trail, { max: 10 });
    assert(f.href === '/series/homeless_people_18_65', `first goal card links to ${f.href}`);
    await Promise.all([page.waitForURL(/\/series\/homeless_people_18_65$/), page.keyboard.press('Enter')]);
    await hydrated(page);
    await page.evaluate(() => { window.__noReload = true; });
    assert(await rows(page) === 15, `expected 15 rows, got ${await rows(page)}`);
    await tabTo(page, g => g.id === 'explorer-from', 'the "Van" select', trail);
    // Arrow key on the closed select: the next year, the table updates in place.
    f = await press(page, 'ArrowDown', trail);
    assert(f.value === '2010', `ArrowDown chose ${f.value}, expected 2010`);
    assert(await waitFor(async () => (await rows(page)) === 14 && page.url().includes('from=2010')),
      `after ArrowDown: ${await rows(page)} rows (expected 14), URL ${page.url()}`);
    // Typing a year selects it (type-ahead); the last answer must win.
    await page.keyboard.type('2015', { delay: 60 });
    assert(await waitFor(async () => (await rows(page)) === 9 && page.url().includes('from=2015')),
      `after typing 2015: ${await rows(page)} rows (expected 9), URL ${page.url()}, select ${await page.inputValue('#explorer-from')}`);
    await page.waitForTimeout(300);
    assert(await rows(page) === 9, `the table changed again after the last key: ${await rows(page)} rows`);
    f = await page.evaluate(focused);
    assert(f.id === 'explorer-from', `focus left the select after the update: ${label(f)}`);
    assert(await page.evaluate(() => window.__noReload === true), 'the page reloaded');
    // Back up to the language switch in the header and follow it: the same view in English.
    f = await tabTo(page, g => g.tag === 'a' && g.href?.startsWith('/en'), 'the language switch', trail, { back: true });
    await Promise.all([page.waitForURL(/\/en\/series\//), page.keyboard.press('Enter')]);
    assert(await page.getAttribute('html', 'lang') === 'en', 'lang is not en after the switch');
    assert(page.url().includes('from=2015'), `the language switch lost the chosen range: ${page.url()} (link was ${f.href})`);
    await context.close();
    return `${trail.length} key presses`;
  });

  await check('keyboard (live data): Space ticks breakdown checkboxes, columns appear in place', async () => {
    const context = await newContext(browser);
    const page = await newPage(context);
    const trail = [];
    await page.goto(`${live}/series/homeless_people_18_65`, { waitUntil: 'load' });
    await hydrated(page);
    assert(await columns(page) === 5, `single-category table expected 5 columns, got ${await columns(page)}`);
    await tabTo(page, g => g.name === 'category' && g.value === '3000', 'the "Mannen" checkbox', trail);
    await press(page, 'Space', trail);
    assert(await waitFor(async () => (await columns(page)) === 3), `after Space on 3000: ${await columns(page)} columns, expected 3 (period, total, men)`);
    await tabTo(page, g => g.name === 'category' && g.value === '4000', 'the "Vrouwen" checkbox', trail, { max: 5 });
    await press(page, 'Space', trail);
    assert(await waitFor(async () => (await columns(page)) === 4), `after Space on 4000: ${await columns(page)} columns, expected 4`);
    assert(page.url().includes('category=3000') && page.url().includes('category=4000'), `URL not updated: ${page.url()}`);
    const legend = await page.locator('#series-view svg').first().textContent();
    assert(legend.includes('Mannen') && legend.includes('Vrouwen'), 'chart legend lacks the breakdown lines');
    assert(page.errors.length === 0, `browser errors: ${page.errors.join('; ')}`);
    await context.close();
  });

  await check('keyboard (live data): every control of the explorer is reached with Tab, focus visible', async () => {
    const context = await newContext(browser);
    const page = await newPage(context);
    await page.goto(`${live}/series/homeless_people_18_65`, { waitUntil: 'load' });
    await hydrated(page);
    // One stop per control; a radio group is one stop.
    const wanted = await page.evaluate(() => [...new Set([...document.querySelectorAll('form.explorer :is(input, select, button)')]
      .filter(el => el.type !== 'hidden').map(el => el.type === 'radio' ? `radio:${el.name}` : el.id || `${el.tagName.toLowerCase()}:${el.type}`))]);
    assert(wanted.length >= 7, `expected from, to, vintage, display, breakdown and submit controls, found ${wanted.join(', ')}`);
    const seen = new Set();
    const trail = [];
    await tabTo(page, f => {
      if (f.tag === 'input' && f.id.startsWith('explorer-per')) seen.add('radio:per');
      else seen.add(f.id || `${f.tag}:submit`);
      return f.tag === 'button';
    }, 'the explorer\'s submit button', trail);
    const missed = wanted.filter(w => !seen.has(w));
    assert(missed.length === 0, `not reached with Tab: ${missed.join(', ')}`);
    await context.close();
    return `${wanted.length} controls`;
  });

  await check('prefers-reduced-motion: no animation or transition runs when a control changes', async () => {
    const context = await newContext(browser, { reducedMotion: 'reduce' });
    const page = await newPage(context);
    await page.addInitScript(() => {
      window.__motion = [];
      for (const type of ['transitionrun', 'animationstart'])
        document.addEventListener(type, e => window.__motion.push(`${type} ${e.propertyName || e.animationName} on <${e.target.tagName.toLowerCase()} class="${e.target.className}">`), true);
    });
    await page.goto(`${live}/series/homeless_people_18_65`, { waitUntil: 'load' });
    assert(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), 'reduced motion not emulated');
    await hydrated(page);
    const running = () => page.evaluate(() => document.getAnimations().map(a => `${a.constructor.name} ${a.animationName || a.transitionProperty || ''} on <${a.effect?.target?.tagName?.toLowerCase()}>`));
    const seen = [];
    await page.focus('#explorer-from');
    await page.keyboard.press('ArrowDown');
    seen.push(...await running());
    await page.check('input[name="category"][value="3000"]');
    seen.push(...await running());
    assert(await waitFor(async () => (await columns(page)) === 3), 'the breakdown column did not appear');
    await page.hover('#series-view a').catch(() => {});
    seen.push(...await running());
    const events = await page.evaluate(() => window.__motion);
    const smooth = await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior);
    assert(seen.length === 0 && events.length === 0, `motion despite prefers-reduced-motion: ${[...new Set([...seen, ...events])].join('; ')}`);
    assert(smooth !== 'smooth', 'scroll-behavior is smooth');
    await context.close();
  });
}
