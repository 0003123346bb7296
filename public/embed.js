// On a page that embeds Koers charts: sizes each <iframe data-koers-embed> to the height its
// content reports (see /embed-frame.js). Load it once per page; more copies do nothing.
(function () {
  if (window.__koersEmbeds) return;
  window.__koersEmbeds = true;
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.koers !== 'resize' || typeof data.height !== 'number') return;
    var frames = document.querySelectorAll('iframe[data-koers-embed]');
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      try { if (new URL(frame.src, location.href).origin !== event.origin) continue; } catch (e) { continue; }
      frame.style.height = Math.max(100, Math.min(5000, Math.ceil(data.height))) + 'px';
    }
  });
})();
