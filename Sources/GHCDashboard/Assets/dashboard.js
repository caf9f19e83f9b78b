/* ghc-api overview page. Depends on common.js. */
'use strict';

(function () {
  var RECENT_MAX = 20;
  var recentById = new Map();   // id -> latest ITEM
  var recentOrder = [];         // ids, newest first

  function byTestId(id) { return document.querySelector('[data-testid="' + id + '"]'); }
  function obj(v) { return v && typeof v === 'object' && !Array.isArray(v) ? v : {}; }
  function num(v) { return isNum(v) ? v : 0; }

  /* ---------- stats ---------- */

  function renderStats(s) {
    s = obj(s);
    var tokens = obj(s.tokens), lat = obj(s.latency_ms), ttfb = obj(s.ttfb_ms);
    setText(byTestId('total-requests'), formatNumber(s.total_requests));
    setText(byTestId('in-flight'), formatNumber(s.in_flight));
    setText(byTestId('errors'), formatNumber(s.errors));
    setText(byTestId('tokens-input'), formatNumber(tokens.input));
    setText(byTestId('tokens-output'), formatNumber(tokens.output));
    setText(byTestId('latency-p50'), formatMs(lat.p50));
    setText(byTestId('latency-p99'), formatMs(lat.p99));
    setText(byTestId('ttfb-p50'), formatMs(ttfb.p50));
    setText(byTestId('bytes-sent'), formatBytes(s.bytes_sent));
    setText(byTestId('bytes-received'), formatBytes(s.bytes_received));
    setText('#cached-requests', isNum(s.cached_requests) ? formatNumber(s.cached_requests) + ' cached' : '');
    setText('#tokens-cache', isNum(tokens.cache_read) || isNum(tokens.cache_creation)
      ? 'cache read ' + formatNumber(num(tokens.cache_read)) + ' · create ' + formatNumber(num(tokens.cache_creation)) : '');
    setText('#latency-p90', isNum(lat.p90) ? 'p90 ' + formatMs(lat.p90) : '');
    setText('#ttfb-p99', isNum(ttfb.p99) ? 'p99 ' + formatMs(ttfb.p99) : '');
    renderHistory(obj(s.history));
    var errCard = byTestId('errors');
    if (errCard) errCard.classList.toggle('bad', num(s.errors) > 0);

    renderPerMinute(Array.isArray(s.per_minute) ? s.per_minute : []);
    renderTokensChart(obj(s.model_stats));
    renderModelTable(obj(s.model_stats));
    renderEndpointTable(obj(s.endpoint_stats));
  }

  function refreshStats() {
    return fetchJSON('/api/stats').then(renderStats, function () { /* offline: keep last values */ });
  }

  function hhmm(ts) {
    var d = new Date(ts * 1000);
    return isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  /** The history database: records kept, its size, and whether recording is paused or dropping. */
  function renderHistory(h) {
    setText(byTestId('history-records'), isNum(h.records) ? formatNumber(h.records) : '—');
    var parts = [];
    if (isNum(h.bytes)) parts.push(formatBytes(h.bytes));
    if (h.state && h.state !== 'recording') parts.push(String(h.state) + (h.problem ? ': ' + String(h.problem) : ''));
    if (num(h.dropped) > 0) parts.push(formatNumber(h.dropped) + ' not recorded');
    setText('#history-state', parts.join(' · '));
    var card = byTestId('history-records');
    if (card) card.classList.toggle('bad', (h.state && h.state !== 'recording') || num(h.dropped) > 0);
  }

  function renderPerMinute(points) {
    var svg = document.getElementById('chart-per-minute');
    if (!svg) return;
    clearNode(svg);
    var W = 600, H = 180, left = 34, right = 6, top = 10, bottom = 22;
    var plotW = W - left - right, plotH = H - top - bottom;
    var max = 1;
    points.forEach(function (p) { max = Math.max(max, num(p && p.requests), num(p && p.errors)); });
    var n = Math.max(points.length, 1), slot = plotW / n, barW = Math.max(1, slot * 0.8);
    svg.appendChild(svgEl('line', { x1: left, y1: top + plotH, x2: W - right, y2: top + plotH, class: 'axis' }));
    svg.appendChild(svgEl('line', { x1: left, y1: top, x2: W - right, y2: top, class: 'gridline' }));
    svg.appendChild(svgEl('text', { x: left - 4, y: top + 4, 'text-anchor': 'end', class: 'axis-label' }, String(max)));
    svg.appendChild(svgEl('text', { x: left - 4, y: top + plotH, 'text-anchor': 'end', class: 'axis-label' }, '0'));
    if (points.length === 0) {
      svg.appendChild(svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty-label' }, 'no data yet'));
      return;
    }
    points.forEach(function (p, i) {
      p = obj(p);
      var reqs = num(p.requests), errs = num(p.errors);
      var ok = Math.max(0, reqs - errs);
      var x = left + i * slot + (slot - barW) / 2;
      var hOk = plotH * ok / max, hErr = plotH * errs / max;
      var g = svgEl('g', { class: 'bar' },
        svgEl('title', null, hhmm(p.minute) + ' — ' + reqs + ' requests, ' + errs + ' errors'));
      g.appendChild(svgEl('rect', { x: x, y: top + plotH - hOk, width: barW, height: hOk, class: 'bar-ok' }));
      if (hErr > 0) g.appendChild(svgEl('rect', { x: x, y: top + plotH - hOk - hErr, width: barW, height: hErr, class: 'bar-err' }));
      /* invisible hit area so the tooltip works on empty minutes too */
      g.appendChild(svgEl('rect', { x: left + i * slot, y: top, width: slot, height: plotH, class: 'bar-hit' }));
      svg.appendChild(g);
      if (i % 5 === 0 || i === points.length - 1) {
        var last = i === points.length - 1 && i > 0;
        svg.appendChild(svgEl('text', { x: last ? W - right : x + barW / 2, y: H - 6, 'text-anchor': last ? 'end' : 'middle', class: 'axis-label' }, hhmm(p.minute)));
      }
    });
  }

  var TOKEN_PARTS = [
    ['input_tokens', 'seg-input', 'input'],
    ['cache_read_input_tokens', 'seg-cache-read', 'cache read'],
    ['cache_creation_input_tokens', 'seg-cache-create', 'cache create'],
    ['output_tokens', 'seg-output', 'output']
  ];

  function modelTotal(m) {
    return TOKEN_PARTS.reduce(function (acc, p) { return acc + num(m[p[0]]); }, 0);
  }

  function renderTokensChart(models) {
    var svg = document.getElementById('chart-tokens');
    if (!svg) return;
    clearNode(svg);
    var names = Object.keys(models).sort(function (a, b) { return modelTotal(obj(models[b])) - modelTotal(obj(models[a])); }).slice(0, 12);
    var W = 600, rowH = 24, labelW = 190, valueW = 70, top = 6;
    var H = Math.max(60, top * 2 + names.length * rowH);
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    if (names.length === 0) {
      svg.appendChild(svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty-label' }, 'no data yet'));
      return;
    }
    var max = 1;
    names.forEach(function (n) { max = Math.max(max, modelTotal(obj(models[n]))); });
    var plotW = W - labelW - valueW;
    names.forEach(function (name, i) {
      var m = obj(models[name]), y = top + i * rowH, x = labelW, total = modelTotal(m);
      var label = name.length > 26 ? name.slice(0, 25) + '…' : name;
      svg.appendChild(svgEl('text', { x: labelW - 6, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'bar-label' },
        svgEl('title', null, name), label));
      TOKEN_PARTS.forEach(function (p) {
        var v = num(m[p[0]]);
        if (v <= 0) return;
        var w = plotW * v / max;
        svg.appendChild(svgEl('rect', { x: x, y: y + 4, width: w, height: rowH - 8, class: p[1] },
          svgEl('title', null, name + ' — ' + p[2] + ': ' + formatNumber(v))));
        x += w;
      });
      svg.appendChild(svgEl('text', { x: x + 4, y: y + rowH / 2 + 4, class: 'bar-value' }, formatNumber(total)));
    });
  }

  function fillTable(id, rows, colspan, emptyText) {
    var tbody = document.querySelector('#' + id + ' tbody');
    if (!tbody) return;
    clearNode(tbody);
    if (rows.length === 0) {
      tbody.appendChild(el('tr', { class: 'empty' }, el('td', { colspan: colspan }, emptyText)));
      return;
    }
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  function numCell(text) { return el('td', { class: 'num' }, text); }

  function renderModelTable(models) {
    var names = Object.keys(models).sort(function (a, b) {
      return num(obj(models[b]).request_count) - num(obj(models[a]).request_count);
    });
    fillTable('model-table', names.map(function (name) {
      var m = obj(models[name]);
      return el('tr', { 'data-model': name },
        el('td', { class: 'mono' }, name),
        numCell(formatNumber(num(m.request_count))),
        numCell(formatNumber(num(m.input_tokens))),
        numCell(formatNumber(num(m.cache_read_input_tokens))),
        numCell(formatNumber(num(m.cache_creation_input_tokens))),
        numCell(formatNumber(num(m.output_tokens))),
        numCell(formatBytes(num(m.bytes_sent))),
        numCell(formatBytes(num(m.bytes_received))));
    }), 8, 'No requests yet');
  }

  function renderEndpointTable(endpoints) {
    var names = Object.keys(endpoints).sort(function (a, b) {
      return num(obj(endpoints[b]).request_count) - num(obj(endpoints[a]).request_count);
    });
    fillTable('endpoint-table', names.map(function (name) {
      var e = obj(endpoints[name]);
      return el('tr', { 'data-endpoint': name },
        el('td', { class: 'mono' }, name),
        numCell(formatNumber(num(e.request_count))),
        numCell(formatBytes(num(e.bytes_sent))),
        numCell(formatBytes(num(e.bytes_received))));
    }), 4, 'No requests yet');
  }

  /* ---------- recent requests ---------- */

  function openRequest(id) {
    window.location.href = '/requests#' + encodeURIComponent(id);
  }

  function recentRow(item) {
    var id = String(item.id);
    var tr = el('tr', { 'data-request-id': id, tabindex: '0', class: 'state-' + str(item.state, 'unknown') },
      el('td', { class: 'nowrap' }, formatTime(item.timestamp)),
      el('td', { class: 'mono model-cell' }, modelLabel(item)),
      el('td', { class: 'mono' }, str(item.endpoint)),
      el('td', null, stateBadge(item.state)),
      el('td', null, statusNode(item)),
      el('td', { class: 'num' }, durationNode(item)),
      el('td', { class: 'num' }, tokensLabel(item)));
    if (item.error) tr.setAttribute('title', String(item.error));
    return tr;
  }

  function renderRecent() {
    var tbody = document.querySelector('#recent-table tbody');
    if (!tbody) return;
    var rows = recentOrder.slice(0, RECENT_MAX).map(function (id) { return recentRow(recentById.get(id)); });
    fillTable('recent-table', rows, 7, 'No requests yet');
  }

  function upsertRecent(item) {
    var id = String(item.id);
    if (recentById.has(id)) {
      if (!isNewerItem(recentById.get(id), item)) return;
      recentById.set(id, item);
      var old = document.querySelector('#recent-table tbody tr[data-request-id="' + CSS.escape(id) + '"]');
      if (old) { old.replaceWith(recentRow(item)); return; }
    } else {
      recentById.set(id, item);
      recentOrder.unshift(id);
      while (recentOrder.length > RECENT_MAX) recentById.delete(recentOrder.pop());
    }
    renderRecent();
  }

  function loadRecent() {
    return fetchJSON('/api/requests?page=1&per_page=' + RECENT_MAX).then(function (data) {
      var items = data && Array.isArray(data.items) ? data.items : [];
      var fetchedIds = items.map(function (it) { return String(it.id); });
      // Ids only seen via events (newer than the fetch) stay on top.
      var extra = recentOrder.filter(function (id) { return fetchedIds.indexOf(id) < 0; });
      items.forEach(function (it) {
        var id = String(it.id), held = recentById.get(id);
        if (!held || isNewerItem(held, it)) recentById.set(id, it);
      });
      recentOrder = extra.concat(fetchedIds).slice(0, RECENT_MAX);
      Array.from(recentById.keys()).forEach(function (id) {
        if (recentOrder.indexOf(id) < 0) recentById.delete(id);
      });
      renderRecent();
    }, function (err) {
      fillTable('recent-table', [], 7, 'Could not load requests: ' + err.message);
    });
  }

  function setupRecentClicks() {
    var tbody = document.querySelector('#recent-table tbody');
    if (!tbody) return;
    tbody.addEventListener('click', function (ev) {
      var tr = ev.target && ev.target.closest ? ev.target.closest('tr[data-request-id]') : null;
      if (tr) openRequest(tr.getAttribute('data-request-id'));
    });
    tbody.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter') return;
      var tr = ev.target && ev.target.closest ? ev.target.closest('tr[data-request-id]') : null;
      if (tr) openRequest(tr.getAttribute('data-request-id'));
    });
  }

  /* ---------- runtime config ---------- */

  function showConfigMessage(text, kind) {
    var box = document.getElementById('runtime-config-message');
    if (!box) return;
    box.textContent = text;
    box.className = 'message' + (kind ? ' message-' + kind : '');
  }

  function editableSubset(config, editable) {
    config = obj(config);
    if (!Array.isArray(editable)) return config;
    var out = {};
    editable.forEach(function (k) { out[k] = config[k] === undefined ? null : config[k]; });
    return out;
  }

  var configEditable = null;

  function showConfig(config) {
    var editor = document.getElementById('runtime-config-editor');
    if (editor) editor.value = JSON.stringify(editableSubset(config, configEditable), null, 2);
    setText('#runtime-config-current', JSON.stringify(obj(config), null, 2));
  }

  function loadConfig() {
    return fetchJSON('/api/runtime-config').then(function (data) {
      data = obj(data);
      configEditable = Array.isArray(data.editable) ? data.editable : null;
      showConfig(data.config);
    }, function (err) {
      showConfigMessage('Could not load runtime config: ' + err.message, 'error');
    });
  }

  function applyConfig() {
    var editor = document.getElementById('runtime-config-editor');
    var save = document.getElementById('runtime-config-save');
    var button = document.getElementById('runtime-config-apply');
    var changes;
    try {
      changes = JSON.parse(editor ? editor.value : '');
    } catch (e) {
      showConfigMessage('Invalid JSON: ' + e.message, 'error');
      return;
    }
    if (!changes || typeof changes !== 'object' || Array.isArray(changes)) {
      showConfigMessage('Invalid JSON: expected an object of {key: value}', 'error');
      return;
    }
    if (button) button.disabled = true;
    showConfigMessage('Applying…', null);
    fetchJSON('/api/runtime-config', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ changes: changes, save: !!(save && save.checked) })
    }).then(function (data) {
      data = obj(data);
      showConfig(data.config);
      var msg = 'Applied.';
      if (data.saved_to) msg += ' Saved to ' + data.saved_to + '.';
      if (data.backup) msg += ' Backup: ' + data.backup + '.';
      showConfigMessage(msg, 'ok');
    }, function (err) {
      showConfigMessage('Error: ' + err.message, 'error');
    }).then(function () {
      if (button) button.disabled = false;
    });
  }

  /* ---------- start ---------- */

  function init() {
    setupRecentClicks();
    var apply = document.getElementById('runtime-config-apply');
    if (apply) apply.addEventListener('click', applyConfig);
    refreshStats();
    loadRecent();
    loadConfig();
    connectEvents(upsertRecent, function (stats) {
      if (stats && stats.total_requests !== undefined) renderStats(stats); else refreshStats();
    });
    setInterval(refreshStats, 30000);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
