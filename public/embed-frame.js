// Inside an embedded Koers chart: tells the host page how tall the content is, whenever it
// changes, so /embed.js there can size the iframe to fit (no inner scroll bar).
(function () {
  if (window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ koers: 'resize', height: height, href: location.href }, '*');
  }
  window.addEventListener('load', report);
  window.addEventListener('resize', report);
  document.addEventListener('toggle', report, true);
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  report();
})();
