// Every page the accessibility, reflow and screenshot sweep visits, in Dutch and English.

/** The English URL of a Dutch path (`/` -> `/en`, `/x` -> `/en/x`, statement by its own name). */
export function english(path) {
  if (path === '/') return '/en';
  if (path === '/toegankelijkheid') return '/en/accessibility';
  return `/en${path}`;
}

/**
 * The pages of one server: `ids` from `GET /api/v1/series`. Each entry: path, expected status,
 * and `shot` (a screenshot name) for one page of each kind; `zoom` also takes a 320 px shot.
 */
export function pageList(ids, { live }) {
  const dutch = [
    { path: '/', shot: live ? null : 'overview', zoom: !live },
    { path: '/series', shot: live ? null : 'series-list' },
    ...ids.map(id => ({ path: `/series/${id}` })),
    { path: '/housing', shot: live ? 'housing' : null },
    { path: '/een-thuis-voor-iedereen', shot: live ? 'programme' : null },
    { path: '/countries', shot: live ? 'countries' : null },
    { path: '/toegankelijkheid', shot: live ? null : 'statement' },
    { path: '/api', shot: live ? null : 'api' },
  ];
  // Views of a series: per 10,000 inhabitants, the figures as known on a date, a breakdown.
  if (live) {
    dutch.push(
      { path: '/series/homeless_people_18_65?category=3000&category=4000', shot: 'series-breakdown' },
      { path: '/series/homeless_people_18_65?per=10000', shot: 'series-per-10k' },
    );
  } else {
    dutch.push(
      { path: '/series/homeless_people_18_65?per=10000' },
      { path: '/series/homeless_people_18_65?vintage=2025-06-30&from=2015' },
      // Error pages: an unknown path, an unknown series, a bad parameter.
      { path: '/bestaat-niet', status: 404, shot: '404' },
      { path: '/series/bestaat_niet', status: 404 },
      { path: '/series/homeless_people_18_65?from=abc', status: 400, shot: '400' },
    );
  }
  for (const p of dutch) {
    if (!live && p.path === '/series/homeless_people_18_65') Object.assign(p, { shot: 'series', zoom: true });
    if (!live && p.path === '/series/permits_by_client') p.shot = 'series-empty';
    if (live && p.path === '/series/permits_by_tenure') p.shot = 'series-permits';
  }
  const out = [];
  for (const p of dutch) {
    out.push({ status: 200, ...p });
    const en = { status: 200, ...p, path: english(p.path), zoom: false };
    // English screenshots for the two main kinds only (the layout is the same).
    en.shot = ['overview', 'series'].includes(p.shot) ? `${p.shot}-en` : null;
    out.push(en);
  }
  // Embeds (a minimal page for iframes; the language is a parameter, not the path).
  const embed = live
    ? '/embed/series/homeless_people_18_65?category=3000&category=4000'
    : '/embed/series/homeless_people_18_65';
  const sep = embed.includes('?') ? '&' : '?';
  out.push(
    { status: 200, path: embed, shot: live ? null : 'embed' },
    { status: 200, path: `${embed}${sep}lang=en` },
  );
  return out;
}
