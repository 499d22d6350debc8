// zai-connect — the shell's one script (no inline scripts: the CSP allows only 'self').
// Checks that this browser can run the dashboard, then loads dashboard.js; shows a clear message
// on the error screen when it cannot. The dashboard itself marks <html data-state="ready">.
'use strict';
(function () {
  var html = document.documentElement;

  function fail(message) {
    document.getElementById('error-text').textContent = message;
    html.setAttribute('data-state', 'error');
  }

  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    fail('This dashboard needs WebAssembly, which this browser does not offer or has turned off.');
    return;
  }
  if (typeof WebGL2RenderingContext === 'undefined') {
    fail('This dashboard needs WebGL 2, which this browser does not offer or has turned off.');
    return;
  }

  // Emscripten's glue reads these by name.
  window.Module = {
    canvas: document.getElementById('canvas'),
    onAbort: function () {
      fail('The dashboard stopped because of an internal error. Reload the page to try again.');
    }
  };

  var script = document.createElement('script');
  script.src = '/dashboard.js';
  script.onerror = function () {
    fail('The dashboard could not be loaded. Check your connection and reload the page.');
  };
  document.body.appendChild(script);
})();
