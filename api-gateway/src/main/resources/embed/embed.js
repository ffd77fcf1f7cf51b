/*
 * Tollgate embed loader: adds a chat launcher to the host page that opens a Tollgate page in an iframe.
 *
 *   <script src="https://YOUR-GATEWAY/embed.js" data-workflow-id="..." async></script>
 *
 * Attributes of that script tag: data-workflow-id | data-bundle-id | data-product-id (one of them), and optionally
 * data-title (the launcher's and frame's name, default "Chat"), data-position (bottom-right, the default, or
 * bottom-left), data-open (start with the panel open).
 *
 * It runs in someone else's page, so: no globals, nothing but its own two elements, styles set through the DOM
 * (a host's Content-Security-Policy may forbid inline <style>), and the framed page is sandboxed so it can never
 * navigate or script the host page.
 */
(function () {
  'use strict';

  var script = document.currentScript || lastUnclaimedScript();
  if (!script || script.hasAttribute('data-tollgate-embed-mounted')) return;
  script.setAttribute('data-tollgate-embed-mounted', '');

  var ACCENT = '#4f46e5';
  var NARROW = '(max-width: 480px)';
  var scriptUrl = new URL(script.src, document.baseURI);
  var gatewayOrigin = scriptUrl.origin;
  var pagePath = pathFor(script);
  if (!pagePath) {
    console.error('Tollgate embed: add data-workflow-id, data-bundle-id or data-product-id to the embed.js script tag.');
    return;
  }
  // Relative to the script's own URL: https://gw/embed.js → https://gw/embed/…
  var pageUrl = new URL(pagePath, scriptUrl).href;
  var title = script.getAttribute('data-title') || 'Chat';
  var left = script.getAttribute('data-position') === 'bottom-left';
  var startOpen = script.hasAttribute('data-open') && script.getAttribute('data-open') !== 'false';

  var panelId = 'tollgate-embed-panel-' + Math.random().toString(36).slice(2, 10);
  var launcher;
  var panel;
  var frame = null;
  var frameLoaded = false;
  var isOpen = false;
  var narrow = window.matchMedia ? window.matchMedia(NARROW) : null;

  if (document.body) {
    mount();
  } else {
    document.addEventListener('DOMContentLoaded', mount);
  }

  function mount() {
    launcher = document.createElement('button');
    launcher.type = 'button';
    launcher.className = 'tollgate-embed-launcher';
    launcher.setAttribute('aria-controls', panelId);
    launcher.setAttribute('aria-expanded', 'false');
    style(launcher, {
      position: 'fixed', bottom: '20px', width: '56px', height: '56px', padding: '0', margin: '0',
      display: 'flex', alignItems: 'center', justifyContent: 'center', border: '0', borderRadius: '50%',
      background: ACCENT, color: '#fff', cursor: 'pointer', zIndex: '2147483000',
      boxShadow: '0 6px 20px rgba(17, 24, 39, 0.25)', transition: 'transform 0.15s ease',
    });
    launcher.style[left ? 'left' : 'right'] = '20px';
    // A visible focus ring for keyboard users; pointer clicks do not show it.
    launcher.addEventListener('focus', function () {
      var keyboard = true;
      try { keyboard = launcher.matches(':focus-visible'); } catch (unsupported) { /* old browser: always show */ }
      if (keyboard) style(launcher, { outline: '3px solid #a5b4fc', outlineOffset: '3px' });
    });
    launcher.addEventListener('blur', function () { style(launcher, { outline: 'none' }); });
    launcher.addEventListener('click', function () { if (isOpen) close(true); else open(true); });

    panel = document.createElement('div');
    panel.id = panelId;
    panel.className = 'tollgate-embed-panel';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', title);
    style(panel, {
      position: 'fixed', display: 'none', overflow: 'hidden', background: '#fff', zIndex: '2147483000',
      borderRadius: '16px', boxShadow: '0 12px 40px rgba(17, 24, 39, 0.28)',
    });

    setIcon(false);
    layout();
    if (narrow) {
      if (narrow.addEventListener) narrow.addEventListener('change', layout);
      else if (narrow.addListener) narrow.addListener(layout);
    }
    document.body.appendChild(panel);
    document.body.appendChild(launcher);

    window.addEventListener('message', function (event) {
      if (!frame || event.source !== frame.contentWindow || event.origin !== gatewayOrigin) return;
      if (event.data && event.data.type === 'tollgate-embed:close') close(true);
    });
    document.addEventListener('keydown', function (event) {
      var here = document.activeElement === launcher || panel.contains(document.activeElement);
      if (isOpen && event.key === 'Escape' && here) close(true);
    });
    if (startOpen) open(false);
  }

  function open(byUser) {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = pageUrl;
      frame.title = title;
      // Scripts and storage (the sign-in) for the gateway's own origin; no top navigation, no pop-ups.
      frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms');
      style(frame, { width: '100%', height: '100%', border: '0', display: 'block', background: '#fff' });
      frame.addEventListener('load', function () {
        frameLoaded = true;
        if (isOpen && byUser) focusFrame();
      });
      panel.appendChild(frame);
    }
    isOpen = true;
    panel.style.display = 'block';
    launcher.setAttribute('aria-expanded', 'true');
    setIcon(true);
    if (byUser && frameLoaded) focusFrame();
  }

  function close(returnFocus) {
    isOpen = false;
    panel.style.display = 'none';
    launcher.setAttribute('aria-expanded', 'false');
    setIcon(false);
    if (returnFocus) launcher.focus();
  }

  /** Moves the keyboard into the frame and asks the page to focus its first field. */
  function focusFrame() {
    frame.focus();
    frame.contentWindow.postMessage({ type: 'tollgate-embed:focus' }, gatewayOrigin);
  }

  /** Wide screens: a 380 × 600 panel above the launcher. Narrow ones: all of the screen above it. */
  function layout() {
    var isNarrow = narrow && narrow.matches;
    if (isNarrow) {
      style(panel, { top: '8px', left: '8px', right: '8px', bottom: '88px', width: 'auto', height: 'auto', maxHeight: 'none' });
    } else {
      style(panel, {
        top: 'auto', bottom: '88px', width: '380px', height: '600px',
        maxWidth: 'calc(100vw - 40px)', maxHeight: 'calc(100vh - 108px)',
        left: left ? '20px' : 'auto', right: left ? 'auto' : '20px',
      });
    }
  }

  function setIcon(opened) {
    launcher.setAttribute('aria-label', (opened ? 'Close ' : 'Open ') + title);
    while (launcher.firstChild) launcher.removeChild(launcher.firstChild);
    launcher.appendChild(icon(opened
      ? 'M6 6l12 12M18 6L6 18'
      : 'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4H6.5A2.5 2.5 0 0 1 4 13.5z'));
  }

  function icon(path) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '26');
    svg.setAttribute('height', '26');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var shape = document.createElementNS(ns, 'path');
    shape.setAttribute('d', path);
    shape.setAttribute('fill', 'none');
    shape.setAttribute('stroke', 'currentColor');
    shape.setAttribute('stroke-width', '2');
    shape.setAttribute('stroke-linecap', 'round');
    shape.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(shape);
    return svg;
  }

  function style(element, properties) {
    for (var name in properties) {
      if (Object.prototype.hasOwnProperty.call(properties, name)) element.style[name] = properties[name];
    }
  }

  function pathFor(tag) {
    var workflow = tag.getAttribute('data-workflow-id');
    var bundle = tag.getAttribute('data-bundle-id');
    var product = tag.getAttribute('data-product-id');
    if (workflow) return 'embed/' + encodeURIComponent(workflow);
    if (bundle) return 'embed/bundle/' + encodeURIComponent(bundle);
    if (product) return 'embed/product/' + encodeURIComponent(product);
    return null;
  }

  /** Browsers without document.currentScript: the last embed.js tag not mounted yet. */
  function lastUnclaimedScript() {
    var tags = document.querySelectorAll('script[src*="embed.js"]');
    for (var i = tags.length - 1; i >= 0; i--) {
      if (!tags[i].hasAttribute('data-tollgate-embed-mounted')) return tags[i];
    }
    return null;
  }
})();
