/* ghc-api request browser. Depends on common.js. */
'use strict';

(function () {
  // Pages are read with keyset cursors: `cursors[i]` is the cursor of page i + 2 (page 1 has none).
  var state = { page: 1, perPage: 50, search: '', since: '', until: '', total: 0, totalPages: 1, cursors: [], nextCursor: null };
  var listItems = new Map();   // id -> ITEM shown in the list
  var selectedId = null;
  var shownDetailState = null;
  var listSeq = 0, detailSeq = 0, searchTimer = null, detailReloadTimer = null;

  function $(id) { return document.getElementById(id); }
  function obj(v) { return v && typeof v === 'object' && !Array.isArray(v) ? v : {}; }
  function entrySelector(id) { return '[data-request-id="' + CSS.escape(String(id)) + '"]'; }

  /* ---------- list ---------- */

  function entryNode(item) {
    var id = String(item.id);
    var li = el('li', { class: 'request-entry state-' + str(item.state, 'unknown'), 'data-request-id': id, tabindex: '-1' },
      el('div', { class: 'entry-line' },
        el('span', { class: 'entry-time' }, formatTime(item.timestamp)),
        stateBadge(item.state),
        statusNode(item),
        item.stream ? el('span', { class: 'tag' }, 'stream') : null),
      el('div', { class: 'entry-model mono' }, modelLabel(item)),
      el('div', { class: 'entry-line entry-meta' },
        el('span', { class: 'mono entry-endpoint' }, str(item.endpoint)),
        durationNode(item),
        el('span', { class: 'entry-tokens', title: 'tokens in / out' }, tokensLabel(item))));
    if (item.error) li.setAttribute('title', String(item.error));
    if (id === selectedId) li.classList.add('selected');
    return li;
  }

  function updateCounts() {
    setText($('result-count'), formatNumber(state.total) + ' requests');
    setText($('page-info'), 'page ' + state.page + ' of ' + state.totalPages);
    $('prev-page').disabled = state.page <= 1;
    $('next-page').disabled = !state.nextCursor && state.page >= state.totalPages;
  }

  function showListMessage(text) {
    var list = clearNode($('request-list'));
    list.appendChild(el('li', { class: 'empty' }, text));
  }

  /** The query of the date range: local days as seconds since 1970, `until` through the end of its day. */
  function rangeQuery() {
    var q = '';
    if (state.since) q += '&since=' + Math.floor(new Date(state.since + 'T00:00:00').getTime() / 1000);
    if (state.until) q += '&until=' + Math.floor(new Date(state.until + 'T23:59:59.999').getTime() / 1000);
    return q;
  }

  function filtered() { return state.search !== '' || state.since !== '' || state.until !== ''; }

  function restart() {
    state.page = 1;
    state.cursors = [];
    $('export-link').setAttribute('href', '/api/requests/export' + rangeQuery().replace(/^&/, '?'));
    return loadList();
  }

  function loadList() {
    var seq = ++listSeq;
    var url = '/api/requests?per_page=' + state.perPage + rangeQuery();
    var cursor = state.page > 1 ? state.cursors[state.page - 2] : null;
    url += cursor ? '&cursor=' + encodeURIComponent(cursor) : '&page=' + state.page;
    if (state.search) url += '&search=' + encodeURIComponent(state.search);
    return fetchJSON(url).then(function (data) {
      if (seq !== listSeq) return;
      data = obj(data);
      var items = Array.isArray(data.items) ? data.items : [];
      state.total = isNum(data.total) ? data.total : items.length;
      state.totalPages = Math.max(1, isNum(data.total_pages) ? data.total_pages : 1);
      state.nextCursor = typeof data.next_cursor === 'string' ? data.next_cursor : null;
      listItems.clear();
      var list = clearNode($('request-list'));
      items.forEach(function (it) {
        if (!it || it.id === undefined) return;
        listItems.set(String(it.id), it);
        list.appendChild(entryNode(it));
      });
      if (items.length === 0) showListMessage(filtered() ? 'No requests match.' : 'No requests yet.');
      updateCounts();
    }, function (err) {
      if (seq !== listSeq) return;
      showListMessage('Could not load requests: ' + err.message);
    });
  }

  function onLiveRequest(item) {
    var id = String(item.id);
    var list = $('request-list');
    var existing = list.querySelector(entrySelector(id));
    if (existing) {
      if (!isNewerItem(listItems.get(id), item)) return;
      listItems.set(id, item);
      existing.replaceWith(entryNode(item));
    } else if (state.page === 1 && !filtered()) {
      var entries = list.querySelectorAll('.request-entry');
      var ts = isNum(item.timestamp) ? item.timestamp : Infinity;
      var last = entries.length ? listItems.get(entries[entries.length - 1].getAttribute('data-request-id')) : null;
      // Only requests that belong on page 1 (newer than its last entry, or the page is not full).
      if (entries.length >= state.perPage && last && isNum(last.timestamp) && ts < last.timestamp) return;
      var before = null;
      for (var i = 0; i < entries.length; i++) {
        var other = listItems.get(entries[i].getAttribute('data-request-id'));
        if (!other || !isNum(other.timestamp) || other.timestamp <= ts) { before = entries[i]; break; }
      }
      var empty = list.querySelector('li.empty');
      if (empty) empty.remove();
      listItems.set(id, item);
      list.insertBefore(entryNode(item), before);
      var all = list.querySelectorAll('.request-entry');
      for (var j = all.length - 1; j >= state.perPage; j--) {
        listItems.delete(all[j].getAttribute('data-request-id'));
        all[j].remove();
      }
      state.total += 1;
      state.totalPages = Math.max(1, Math.ceil(state.total / state.perPage));
      updateCounts();
    }
    if (id === selectedId && item.state !== shownDetailState) {
      clearTimeout(detailReloadTimer);
      detailReloadTimer = setTimeout(function () { loadDetail(id, true); }, 300);
    }
  }

  /* ---------- selection ---------- */

  function hashId() {
    var h = window.location.hash.replace(/^#/, '');
    if (!h) return null;
    try { return decodeURIComponent(h); } catch (e) { return h; }
  }

  function select(id, opts) {
    id = String(id);
    selectedId = id;
    var list = $('request-list');
    Array.prototype.forEach.call(list.querySelectorAll('.request-entry.selected'), function (n) { n.classList.remove('selected'); });
    var node = list.querySelector(entrySelector(id));
    if (node) {
      node.classList.add('selected');
      if (opts && opts.scroll) node.scrollIntoView({ block: 'nearest' });
    }
    if (hashId() !== id) window.location.hash = encodeURIComponent(id);
    loadDetail(id, false);
  }

  function moveSelection(delta) {
    var entries = Array.prototype.slice.call($('request-list').querySelectorAll('.request-entry'));
    if (entries.length === 0) return;
    var idx = -1;
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].getAttribute('data-request-id') === selectedId) { idx = i; break; }
    }
    var next = idx < 0 ? (delta > 0 ? 0 : entries.length - 1) : Math.min(entries.length - 1, Math.max(0, idx + delta));
    if (next === idx) return;
    select(entries[next].getAttribute('data-request-id'), { scroll: true });
  }

  /* ---------- detail ---------- */

  function pretty(value) {
    if (value === undefined) return '';
    if (typeof value === 'string') return value;
    try { return JSON.stringify(value, null, 2); } catch (e) { return String(value); }
  }

  function bodyNode(value) {
    if (value === null || value === undefined) return el('p', { class: 'muted' }, '(none)');
    if (typeof value === 'object' && !Array.isArray(value) && value._truncated === true) {
      var reason = value._reason ? ' (' + String(value._reason) + ')' : '';
      return el('p', { class: 'truncated' }, 'truncated: ' + str(value._size, '?') + ' bytes' + reason);
    }
    return el('pre', { class: 'code' }, pretty(value));
  }

  function section(id, title, open, content) {
    return el('details', { id: id, class: 'detail-section', open: open ? true : null },
      el('summary', null, title), content);
  }

  function streamText(events) {
    var out = '';
    events.forEach(function (ev) {
      if (!ev || typeof ev !== 'object') return;
      var choices = Array.isArray(ev.choices) ? ev.choices : null;
      var delta = choices && choices[0] && choices[0].delta;
      if (delta && typeof delta.content === 'string') out += delta.content;
      if (ev.type === 'content_block_delta' && ev.delta && ev.delta.type === 'text_delta' && typeof ev.delta.text === 'string') {
        out += ev.delta.text;
      }
      if (ev.type === 'response.output_text.delta' && typeof ev.delta === 'string') out += ev.delta;
    });
    return out;
  }

  function streamNode(rawEvents, responseBody) {
    var parsed = rawEvents.map(function (raw) {
      if (typeof raw !== 'string') return raw;
      try { return JSON.parse(raw); } catch (e) { return undefined; }
    });
    var ol = el('ol', { id: 'detail-stream-events', class: 'stream-events' });
    rawEvents.forEach(function (raw, i) {
      var text = parsed[i] !== undefined && parsed[i] !== null && typeof parsed[i] === 'object' ? pretty(parsed[i]) : String(raw);
      ol.appendChild(el('li', null, el('pre', { class: 'code' }, text)));
    });
    return el('div', { class: 'stream-view' },
      el('h4', null, 'Reconstructed text'),
      el('pre', { id: 'detail-stream-text', class: 'code stream-text' }, streamText(parsed)),
      el('h4', null, rawEvents.length + ' events'),
      ol,
      responseBody !== null && responseBody !== undefined
        ? el('details', { class: 'detail-section sub' }, el('summary', null, 'Stored response body'), bodyNode(responseBody))
        : null);
  }

  function overviewNode(d) {
    var rows = [
      ['ID', str(d.id)],
      ['Time', formatTime(d.timestamp)],
      ['Model', str(d.model)],
      ['Translated model', str(d.translated_model)],
      ['Endpoint', str(d.endpoint)],
      ['Client IP', str(d.client_ip)],
      ['Status', statusNode(d)],
      ['State', stateBadge(d.state)],
      ['Stream', d.stream ? 'yes' : 'no'],
      ['Duration', isInFlight(d.state) ? durationNode(d) : formatDuration(d.duration)],
      ['Time to first byte', formatDuration(d.time_to_first_byte)],
      ['Request size', formatBytes(d.request_size)],
      ['Response size', formatBytes(d.response_size)],
      ['Input tokens', formatNumber(d.input_tokens)],
      ['Output tokens', formatNumber(d.output_tokens)],
      ['Cache read tokens', formatNumber(d.cache_read_input_tokens)],
      ['Cache creation tokens', formatNumber(d.cache_creation_input_tokens)],
      ['Error', str(d.error)]
    ];
    var dl = el('dl', { id: 'detail-overview', class: 'overview-grid' });
    rows.forEach(function (r) {
      dl.appendChild(el('dt', null, r[0]));
      dl.appendChild(el('dd', { class: r[0] === 'Error' && d.error ? 'error-text' : null }, r[1]));
    });
    return dl;
  }

  function renderDetail(d) {
    var panel = clearNode($('request-detail'));
    d = obj(d);
    shownDetailState = d.state;
    var rawEvents = Array.isArray(d.raw_events) && d.raw_events.length > 0 ? d.raw_events : null;
    panel.appendChild(el('h2', { class: 'detail-title mono' }, modelLabel(d), el('span', { class: 'muted' }, ' · ' + str(d.endpoint))));
    panel.appendChild(overviewNode(d));
    panel.appendChild(section('detail-request-headers', 'Request headers', false, bodyNode(d.request_headers)));
    panel.appendChild(section('detail-original-request', 'Original request body', false, bodyNode(d.original_request_body)));
    panel.appendChild(section('detail-request-body', 'Request body (sent upstream)', true, bodyNode(d.request_body)));
    panel.appendChild(section('detail-response', rawEvents ? 'Response (stream)' : 'Response', true,
      rawEvents ? streamNode(rawEvents, d.response_body) : bodyNode(d.response_body)));
  }

  function loadDetail(id, quiet) {
    var seq = ++detailSeq;
    var panel = $('request-detail');
    if (!quiet) {
      clearNode(panel);
      panel.appendChild(el('p', { class: 'muted placeholder' }, 'Loading ' + id + '…'));
    }
    return fetchJSON('/api/request/' + encodeURIComponent(id)).then(function (d) {
      if (seq === detailSeq) renderDetail(d);
    }, function (err) {
      if (seq !== detailSeq) return;
      shownDetailState = null;
      clearNode(panel);
      panel.appendChild(el('p', { class: 'message message-error' },
        err.status === 404 ? 'Request not found: ' + id : 'Could not load request: ' + err.message));
    });
  }

  /* ---------- import ---------- */

  function importFile(input) {
    var file = input.files && input.files[0];
    var out = $('import-result');
    if (!file) return;
    out.className = 'message';
    setText(out, 'Importing ' + file.name + '…');
    fetchJSON('/api/requests/import', {
      method: 'POST',
      body: file,
      headers: { 'Content-Type': 'application/x-jsonlines', 'Accept': 'application/json' }
    }).then(function (r) {
      r = obj(r);
      var errs = isNum(r.total_errors) ? r.total_errors : (Array.isArray(r.errors) ? r.errors.length : 0);
      var msg = 'Imported ' + formatNumber(r.imported || 0) + ', ' + formatNumber(r.duplicates || 0) +
        ' duplicates, ' + formatNumber(errs) + ' errors';
      if (Array.isArray(r.errors) && r.errors.length) msg += ' (first: ' + String(r.errors[0]) + ')';
      out.className = 'message ' + (errs ? 'message-error' : 'message-ok');
      setText(out, msg);
      loadList();
    }, function (err) {
      out.className = 'message message-error';
      setText(out, 'Import failed: ' + err.message);
    }).then(function () { input.value = ''; });
  }

  /* ---------- wiring ---------- */

  function init() {
    var search = $('search'), perPage = $('per-page'), list = $('request-list');
    state.perPage = parseInt(perPage.value, 10) || 50;

    search.addEventListener('input', function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(function () {
        var v = search.value.trim();
        if (v === state.search) return;
        state.search = v;
        restart();
      }, 250);
    });
    ['since', 'until'].forEach(function (name) {
      $(name).addEventListener('change', function () {
        state[name] = $(name).value;
        restart();
      });
    });
    perPage.addEventListener('change', function () {
      state.perPage = parseInt(perPage.value, 10) || 50;
      restart();
    });
    $('prev-page').addEventListener('click', function () {
      if (state.page > 1) { state.page -= 1; loadList(); }
    });
    $('next-page').addEventListener('click', function () {
      if (!state.nextCursor && state.page >= state.totalPages) return;
      if (state.nextCursor) state.cursors[state.page - 1] = state.nextCursor;
      state.page += 1;
      loadList();
    });
    list.addEventListener('click', function (ev) {
      var li = ev.target && ev.target.closest ? ev.target.closest('.request-entry') : null;
      if (li) select(li.getAttribute('data-request-id'));
    });
    $('import-file').addEventListener('change', function (ev) { importFile(ev.target); });

    document.addEventListener('keydown', function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (isTypingTarget(document.activeElement)) {
        if (ev.key === 'Escape' && document.activeElement === search) search.blur();
        return;
      }
      if (ev.key === '/') { ev.preventDefault(); search.focus(); search.select(); }
      else if (ev.key === 'ArrowDown') { ev.preventDefault(); moveSelection(1); }
      else if (ev.key === 'ArrowUp') { ev.preventDefault(); moveSelection(-1); }
    });
    window.addEventListener('hashchange', function () {
      var id = hashId();
      if (id && id !== selectedId) select(id, { scroll: true });
    });

    var initial = hashId();
    loadList().then(function () {
      if (initial && initial === selectedId) {
        var node = list.querySelector(entrySelector(initial));
        if (node) { node.classList.add('selected'); node.scrollIntoView({ block: 'nearest' }); }
      }
    });
    if (initial) select(initial);
    connectEvents(onLiveRequest, null);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
