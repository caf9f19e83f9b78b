/* ghc-api usage view: token usage over time per machine or model, totals by model, and the Copilot quota. */
'use strict';

(function () {
  var COLORS = ['#0969da', '#1a7f37', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#bc4c00', '#57606a'];
  function $(id) { return document.getElementById(id); }
  function n(v) { return typeof v === 'number' ? v : 0; }

  function renderQuota(q) {
    var box = clearNode($('quota'));
    box.appendChild(el('p', null, 'Plan: ' + (q.plan || 'unknown') + (q.reset_date ? ' · resets ' + q.reset_date +
      (typeof q.days_to_reset === 'number' ? ' (in ' + q.days_to_reset + ' days)' : '') : '')));
    (q.quotas || []).forEach(function (s) {
      var label = s.name === 'premium_interactions' ? 'Premium requests' : s.name === 'chat' ? 'Chat' : 'Completions';
      var left = s.unlimited ? 100 : Math.max(0, Math.min(100, n(s.percent_remaining)));
      var text = s.unlimited ? 'unlimited' : Math.floor(n(s.remaining)) + ' of ' + Math.round(n(s.entitlement)) + ' left (' + left.toFixed(1) + '%)';
      box.appendChild(el('div', { class: 'gauge', 'data-quota': s.name },
        el('span', { class: 'gauge-label' }, label),
        el('span', { class: 'gauge-bar' }, el('span', { class: 'gauge-fill' + (left < 10 ? ' low' : ''), style: 'width:' + left + '%' })),
        el('span', { class: 'gauge-text' }, text)));
    });
  }

  function renderChart(series) {
    var svg = $('usage-chart');
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var legend = clearNode($('usage-legend'));
    var times = series.times || [];
    var groups = series[$('stack').value] || {};
    var names = Object.keys(groups).sort();
    if (!times.length || !names.length) {
      svg.appendChild(svgEl('text', { x: 450, y: 120, 'text-anchor': 'middle', class: 'muted' }, 'No usage in this range yet.'));
      return;
    }
    var totals = times.map(function (_, i) { return names.reduce(function (sum, k) { return sum + n(groups[k][i]); }, 0); });
    var top = Math.max.apply(null, totals.concat([1]));
    var width = 860 / times.length;
    names.forEach(function (name, k) {
      var color = COLORS[k % COLORS.length];
      legend.appendChild(el('span', { class: 'legend-item', 'data-series': name }, el('span', { class: 'swatch', style: 'background:' + color }), name));
      times.forEach(function (t, i) {
        var below = names.slice(0, k).reduce(function (sum, other) { return sum + n(groups[other][i]); }, 0);
        var value = n(groups[name][i]);
        if (!value) return;
        var h = value / top * 200, y = 220 - (below / top * 200) - h;
        var rect = svgEl('rect', { x: 30 + i * width, y: y, width: Math.max(1, width - 1), height: h, fill: color, 'data-series': name });
        rect.appendChild(svgEl('title', null, name + ': ' + formatNumber(value) + ' tokens at ' + new Date(t * 1000).toLocaleString()));
        svg.appendChild(rect);
      });
    });
    svg.appendChild(svgEl('text', { x: 30, y: 236, class: 'muted' }, new Date(times[0] * 1000).toLocaleString()));
    svg.appendChild(svgEl('text', { x: 890, y: 236, 'text-anchor': 'end', class: 'muted' }, new Date(times[times.length - 1] * 1000).toLocaleString()));
    svg.appendChild(svgEl('text', { x: 30, y: 14, class: 'muted' }, formatNumber(top) + ' tokens'));
  }

  function renderRows(data) {
    var byModel = {};
    (data.rows || []).forEach(function (r) {
      var m = byModel[r.model_id] || (byModel[r.model_id] = { request_count: 0, input_tokens: 0, cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0, output_tokens: 0, total_tokens: 0, total_data: 0 });
      Object.keys(m).forEach(function (k) { m[k] += n(r[k]); });
    });
    var body = clearNode($('usage-rows'));
    function row(name, r, cls) {
      body.appendChild(el('tr', { class: cls || '', 'data-model': name },
        el('td', { class: 'mono' }, name), el('td', null, formatNumber(r.request_count)), el('td', null, formatNumber(r.input_tokens)),
        el('td', null, formatNumber(r.cache_read_input_tokens)), el('td', null, formatNumber(r.cache_creation_input_tokens)),
        el('td', null, formatNumber(r.output_tokens)), el('td', null, formatNumber(r.total_tokens)), el('td', null, formatBytes(r.total_data))));
    }
    Object.keys(byModel).sort().forEach(function (name) { row(name, byModel[name]); });
    row('Total', data.totals || {}, 'total-row');
  }

  function fillMachines(machines) {
    var select = $('machine');
    var chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    machines.forEach(function (m) { select.appendChild(el('option', { value: m }, m)); });
    select.value = machines.indexOf(chosen) >= 0 ? chosen : '';
  }

  function load() {
    var url = '/api/config-manager/token-usage?range=' + encodeURIComponent($('range').value);
    if ($('machine').value) url += '&machine=' + encodeURIComponent($('machine').value);
    return fetchJSON(url).then(function (data) {
      fillMachines(data.machines || []);
      renderChart(data.timeseries || {});
      renderRows(data);
      setText($('usage-updated'), 'updated ' + new Date().toLocaleTimeString());
    }, function (err) { setText($('usage-updated'), 'Could not load usage: ' + err.message); });
  }

  function when(iso) { return iso ? new Date(iso).toLocaleString() : 'never'; }

  function renderKeys(data) {
    var keys = data.keys || [];
    $('keys-empty').hidden = keys.length > 0;
    $('keys-table').hidden = keys.length === 0;
    var body = clearNode($('keys-rows'));
    keys.forEach(function (k) {
      body.appendChild(el('tr', { 'data-key': k.name, class: k.expired ? 'muted' : '' },
        el('td', { class: 'mono' }, k.name), el('td', { class: 'mono' }, k.prefix + '…'), el('td', null, when(k.created_at)),
        el('td', null, when(k.last_used_at)), el('td', null, k.expires_at ? when(k.expires_at) + (k.expired ? ' (expired)' : '') : 'never'),
        el('td', null, formatNumber(k.requests)), el('td', null, formatNumber(k.input_tokens)), el('td', null, formatNumber(k.output_tokens))));
    });
  }

  function loadKeys() {
    fetchJSON('/api/keys').then(renderKeys, function () {});
  }

  function loadQuota() {
    fetchJSON('/api/quota').then(renderQuota, function (err) {
      clearNode($('quota')).appendChild(el('p', { class: 'muted' }, 'Quota unavailable: ' + err.message));
    });
  }

  ['range', 'machine', 'stack'].forEach(function (id) { $(id).addEventListener('change', load); });
  load();
  loadQuota();
  loadKeys();
  setInterval(load, 5000);
  setInterval(loadKeys, 5000);
  setInterval(loadQuota, 60000);
})();
