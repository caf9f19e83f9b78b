/* ghc-api dashboard: helpers shared by the overview and the request browser.
 * All untrusted text goes through textContent / createTextNode; no HTML parsing of data. */
'use strict';

var GHC_STATES = ['pending', 'sending', 'receiving', 'completed', 'error', 'cancelled'];
var GHC_IN_FLIGHT = { pending: true, sending: true, receiving: true };
var GHC_STATE_RANK = { pending: 0, sending: 1, receiving: 2, completed: 3, error: 3, cancelled: 3 };

function appendChildren(node, children) {
  for (var i = 0; i < children.length; i++) {
    var c = children[i];
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) { appendChildren(node, c); continue; }
    if (typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean') {
      node.appendChild(document.createTextNode(String(c)));
    } else if (c instanceof Node) {
      node.appendChild(c);
    }
  }
  return node;
}

function applyAttrs(node, attrs, isSvg) {
  if (!attrs) return;
  Object.keys(attrs).forEach(function (key) {
    var v = attrs[key];
    if (v === null || v === undefined || v === false) return;
    if (key === 'class' || key === 'className') {
      if (isSvg) node.setAttribute('class', String(v)); else node.className = String(v);
    } else if (key === 'text') {
      node.textContent = String(v);
    } else if (key === 'dataset') {
      Object.keys(v).forEach(function (k) { node.dataset[k] = String(v[k]); });
    } else if (key.slice(0, 2) === 'on' && typeof v === 'function') {
      node.addEventListener(key.slice(2).toLowerCase(), v);
    } else if (!isSvg && (key === 'value' || key === 'checked' || key === 'disabled')) {
      node[key] = v;
    } else {
      node.setAttribute(key, v === true ? '' : String(v));
    }
  });
}

/* el('div', {class: 'x'}, 'text', otherNode, [more]) — string children become text nodes. */
function el(tag, attrs) {
  var node = document.createElement(tag);
  applyAttrs(node, attrs, false);
  return appendChildren(node, Array.prototype.slice.call(arguments, 2));
}

function svgEl(tag, attrs) {
  var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  applyAttrs(node, attrs, true);
  return appendChildren(node, Array.prototype.slice.call(arguments, 2));
}

function clearNode(node) {
  if (!node) return node;
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function setText(selectorOrNode, text) {
  var node = typeof selectorOrNode === 'string' ? document.querySelector(selectorOrNode) : selectorOrNode;
  if (node) node.textContent = text === null || text === undefined ? '' : String(text);
}

function isNum(n) { return typeof n === 'number' && isFinite(n); }

function formatNumber(n) {
  return isNum(n) ? n.toLocaleString() : '—';
}

function formatBytes(n) {
  if (!isNum(n)) return '—';
  var units = ['B', 'KB', 'MB', 'GB', 'TB'];
  var v = Math.abs(n), i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  if (n < 0) v = -v;
  return (i === 0 ? String(Math.round(v)) : v.toFixed(v < 10 ? 2 : 1)) + ' ' + units[i];
}

/* seconds -> "123 ms" / "4.56 s" / "2m 05s" */
function formatDuration(seconds) {
  if (!isNum(seconds)) return '—';
  if (seconds < 0) seconds = 0;
  if (seconds < 1) return Math.round(seconds * 1000) + ' ms';
  if (seconds < 60) return seconds.toFixed(seconds < 10 ? 2 : 1) + ' s';
  var m = Math.floor(seconds / 60), s = Math.floor(seconds % 60);
  return m + 'm ' + (s < 10 ? '0' : '') + s + 's';
}

function formatMs(ms) {
  return isNum(ms) ? formatDuration(ms / 1000) : '—';
}

function formatTime(ts) {
  if (!isNum(ts)) return '—';
  var d = new Date(ts * 1000);
  return isNaN(d.getTime()) ? '—' : d.toLocaleString();
}

function str(v, fallback) {
  if (v === null || v === undefined || v === '') return fallback === undefined ? '—' : fallback;
  return String(v);
}

function isInFlight(state) { return GHC_IN_FLIGHT[state] === true; }

function stateBadge(state) {
  var known = GHC_STATES.indexOf(state) >= 0 ? state : 'unknown';
  return el('span', { class: 'badge badge-' + known, 'data-state': known }, str(state, 'unknown'));
}

function modelLabel(item) {
  var orig = item && item.model ? String(item.model) : '—';
  var tr = item && item.translated_model ? String(item.translated_model) : '';
  return tr && tr !== orig ? orig + ' → ' + tr : orig;
}

function tokensLabel(item) {
  if (!item) return '—';
  return formatNumber(item.input_tokens || 0) + ' / ' + formatNumber(item.output_tokens || 0);
}

function statusNode(item) {
  var code = item ? item.status_code : null;
  var cls = 'status';
  if (isNum(code)) cls += code >= 400 ? ' status-bad' : ' status-ok';
  return el('span', { class: cls }, isNum(code) ? String(code) : '—');
}

/* Duration cell: terminal requests show their duration, in-flight ones a live counter. */
function durationNode(item) {
  if (item && isInFlight(item.state) && isNum(item.timestamp)) {
    var span = el('span', { class: 'duration live-elapsed', 'data-live-start': String(item.timestamp) });
    span.textContent = formatDuration(Date.now() / 1000 - item.timestamp);
    startElapsedTicker();
    return span;
  }
  return el('span', { class: 'duration' }, formatDuration(item ? item.duration : null));
}

var ghcTicker = null;
function startElapsedTicker() {
  if (ghcTicker !== null) return;
  ghcTicker = setInterval(function () {
    var nodes = document.querySelectorAll('[data-live-start]');
    var now = Date.now() / 1000;
    for (var i = 0; i < nodes.length; i++) {
      var start = parseFloat(nodes[i].getAttribute('data-live-start'));
      if (isFinite(start)) nodes[i].textContent = formatDuration(now - start);
    }
  }, 250);
}

/* Decide whether an incoming ITEM should replace the one we hold (events may arrive out of order). */
function isNewerItem(oldItem, newItem) {
  if (!oldItem) return true;
  var a = GHC_STATE_RANK[oldItem.state], b = GHC_STATE_RANK[newItem.state];
  if (a === undefined || b === undefined) return true;
  return b >= a;
}

/* fetch + JSON with readable errors: rejects with Error(message from {"error": ...} or HTTP status). */
function fetchJSON(url, options) {
  var opts = Object.assign({ headers: { 'Accept': 'application/json' } }, options || {});
  return fetch(url, opts).then(function (resp) {
    return resp.text().then(function (text) {
      var data = null, parsed = false;
      if (text) {
        try { data = JSON.parse(text); parsed = true; } catch (e) { parsed = false; }
      }
      if (!resp.ok) {
        var msg = data && typeof data === 'object' && data.error !== undefined
          ? String(data.error) : 'HTTP ' + resp.status + (text && !parsed ? ': ' + text.slice(0, 200) : '');
        var err = new Error(msg);
        err.status = resp.status;
        err.data = data;
        throw err;
      }
      if (text && !parsed) throw new Error('invalid JSON in response from ' + url);
      return data;
    });
  }, function (e) {
    throw new Error('network error: ' + (e && e.message ? e.message : String(e)));
  });
}

function setLiveIndicator(live) {
  var node = document.getElementById('live-indicator');
  if (!node) return;
  node.textContent = live ? 'live' : 'offline';
  node.classList.toggle('is-live', !!live);
  node.classList.toggle('is-offline', !live);
}

/* EventSource on /api/events; onRequest(item) / onStats(stats) get parsed JSON. */
function connectEvents(onRequest, onStats) {
  if (typeof EventSource === 'undefined') { setLiveIndicator(false); return null; }
  var source = null, retryTimer = null;
  function parse(ev) {
    try { return JSON.parse(ev.data); } catch (e) { return null; }
  }
  function open() {
    retryTimer = null;
    source = new EventSource('/api/events');
    source.onopen = function () { setLiveIndicator(true); };
    source.onerror = function () {
      setLiveIndicator(false);
      /* CLOSED means the browser gave up (e.g. non-200): retry ourselves. */
      if (source.readyState === 2 && retryTimer === null) {
        source.close();
        retryTimer = setTimeout(open, 5000);
      }
    };
    source.addEventListener('request', function (ev) {
      var item = parse(ev);
      if (item && typeof item === 'object' && item.id !== undefined && onRequest) onRequest(item);
    });
    source.addEventListener('stats', function (ev) {
      var stats = parse(ev);
      if (stats && typeof stats === 'object' && onStats) onStats(stats);
    });
  }
  open();
  return { close: function () { if (source) source.close(); if (retryTimer) clearTimeout(retryTimer); } };
}

function isTypingTarget(node) {
  if (!node) return false;
  var tag = node.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || node.isContentEditable === true;
}

/* Shows "Log out" when the server asks for a login (api_keys are set). */
(function showLogout() {
  var form = document.querySelector('form.logout');
  if (!form || !window.fetch) return;
  fetch('/api/session', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
    if (s.login_required) form.hidden = false;
  }).catch(function () {});
})();

/* The navigation badge: "!" when this machine's settings differ from OneDrive's (checked every 30 s). */
(function watchSyncBadge() {
  var badge = document.getElementById('sync-badge');
  if (!badge || !window.fetch) return;
  function check() {
    fetch('/api/config-manager/status', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
      badge.hidden = !(s && s.has_differences === true);
      badge.setAttribute('data-checked', 'true');
    }).catch(function () {});
  }
  check();
  setInterval(check, 30000);
})();
