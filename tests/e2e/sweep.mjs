// The page sweep: every page of both servers, in Dutch and English, once with the hydration
// bundle and once without it (as a visitor without JavaScript gets it). On each:
//   - axe-core (WCAG 2.0/2.1 A and AA, best practices): zero violations;
//   - no script errors (with the bundle);
//   - reflow at 320 CSS px (1280 px at 400 % zoom, WCAG 1.4.10): no sideways scrolling of the
//     page, no text cut off or pushed off-screen, every sideways-scrolling region focusable and
//     named;
//   - screenshots of one page of each kind at 1280 px (desktop) and 390 px (phone), and at
//     320 px for the overview and a series page.
// One line per page. A browser context per server and mode is reused across its pages.
import { check, assert, axe, hydrated, newContext, newPage, shot } from './harness.mjs';
import { pageList } from './pages.mjs';

/** In the page: what breaks reflow at the current width. Returns a list of problems. */
export function reflowProblems() {
  const de = document.documentElement;
  const vw = de.clientWidth;
  const problems = [];
  const describe = el => {
    const text = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}>${text ? ` "${text}"` : ''}`;
  };
  if (de.scrollWidth > vw) problems.push(`the page scrolls sideways: scrollWidth ${de.scrollWidth} > ${vw}`);
  const style = new Map();
  const css = el => { let s = style.get(el); if (!s) { s = getComputedStyle(el); style.set(el, s); } return s; };
  const scrolls = el => ['auto', 'scroll'].includes(css(el).overflowX);
  // Sideways-scrolling regions (the tables) must be reachable and named for keyboard users.
  for (const el of document.body.querySelectorAll('*')) {
    if (scrolls(el) && el.scrollWidth > el.clientWidth + 1) {
      if (el.tabIndex < 0 && !el.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])'))
        problems.push(`scrolling region cannot be reached by keyboard: ${describe(el)}`);
      if (!el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
        problems.push(`scrolling region has no name: ${describe(el)}`);
    }
  }
  // Visually hidden text (for screen readers) is clipped on purpose.
  const srOnly = el => {
    for (let a = el; a && a !== de; a = a.parentElement) {
      const s = css(a);
      if (s.clip !== 'auto' && s.clip !== '' && s.position === 'absolute') return true;
      if (s.display === 'none' || s.visibility === 'hidden') return true;
    }
    return false;
  };
  // The nearest ancestor that cuts off what sticks out (overflow hidden/clip, or an <svg>),
  // unless a scrolling region comes first (what sticks out of that can be scrolled to).
  const clipper = el => {
    for (let a = el; a && a !== document.body && a !== de; a = a.parentElement) {
      const s = css(a);
      if (['auto', 'scroll'].includes(s.overflowX)) return { scroller: a };
      if (['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflowY)) return { clip: a };
    }
    return {};
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
    { acceptNode: n => n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT });
  const range = document.createRange();
  const reported = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('option, script, style, noscript, title, desc, .skip-link') || srOnly(parent)) continue;
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5);
    if (!rects.length) continue;
    const { scroller, clip } = clipper(parent);
    const box = clip && clip.getBoundingClientRect();
    for (const r of rects) {
      let why = null;
      if (!scroller && (r.right > vw + 1 || r.left < -1)) why = `text runs off the screen (${Math.round(r.left)}-${Math.round(r.right)} of ${vw} px)`;
      else if (box && (r.right > box.right + 1 || r.left < box.left - 1 || r.bottom > box.bottom + 1 || r.top < box.top - 1))
        why = `text is cut off by ${describe(clip).slice(0, 60)}`;
      if (why) {
        const key = `${why}|${describe(parent)}`;
        if (!reported.has(key)) { reported.add(key); problems.push(`${why}: "${node.textContent.trim().slice(0, 40)}" in ${describe(parent).replace(/ ".*/, '')}`); }
        break;
      }
    }
    if (problems.length > 12) { problems.push('...'); break; }
  }
  return problems;
}

async function imagesLoaded(page) {
  await page.waitForFunction(() => [...document.images].every(i => i.complete), null, { timeout: 8000 }).catch(() => {});
}

/** Visits one page in one mode: status, errors, axe, reflow, screenshots. Returns the failures. */
async function visit(page, base, entry, js) {
  page.errors.length = 0;
  const failures = [];
  const response = await page.goto(base + entry.path, { waitUntil: 'load' });
  const mode = js ? 'JS' : 'no JS';
  if (response.status() !== entry.status) {
    failures.push(`${mode}: status ${response.status()}, expected ${entry.status}`);
    return failures;
  }
  if (js) {
    await hydrated(page).catch(() => failures.push('JS: the explorer did not hydrate in 10 s'));
    // A 4xx page logs its own status as a failed resource; anything else is a real error.
    const errors = page.errors.filter(e => !(entry.status !== 200 && /Failed to load resource.*\b(400|404)\b/.test(e)));
    if (errors.length) failures.push(`JS: browser errors: ${errors.join('; ')}`);
  }
  const violations = await axe(page);
  if (violations.length) failures.push(`${mode}: axe: ${violations.join('\n        ')}`);
  const takeShots = js && entry.shot;
  if (takeShots) { await imagesLoaded(page); await page.screenshot({ path: shot(`${entry.shot}-desktop`), fullPage: true }); }
  await page.setViewportSize({ width: 320, height: 900 });
  const reflow = await page.evaluate(reflowProblems);
  if (reflow.length) failures.push(`${mode}: at 320 px: ${reflow.join('\n        ')}`);
  if (takeShots && entry.zoom) await page.screenshot({ path: shot(`${entry.shot}-zoom400`), fullPage: true });
  if (takeShots) {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shot(`${entry.shot}-phone`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return failures;
}

export async function sweep(browser, servers) {
  for (const [label, base] of [['first run', servers.base], ['live', servers.live]]) {
    const { series } = await (await fetch(`${base}/api/v1/series`)).json();
    const list = pageList(series.map(s => s.id), { live: label === 'live' });
    const withJs = await newContext(browser, { axe: true });
    const withoutJs = await newContext(browser, { axe: true, bundle: false });
    const [onPage, offPage] = [await newPage(withJs), await newPage(withoutJs)];
    for (const entry of list) {
      await check(`a11y ${label} ${entry.path}`, async () => {
        const [on, off] = await Promise.all([visit(onPage, base, entry, true), visit(offPage, base, entry, false)]);
        const failures = [...on, ...off];
        assert(failures.length === 0, failures.join('\n'));
        return 'axe 0 violations with and without JS · reflow at 320 px ok';
      });
    }
    await withJs.close();
    await withoutJs.close();
  }
}
