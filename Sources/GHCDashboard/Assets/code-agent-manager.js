/* ghc-api code agent manager: OneDrive sync of Claude Code, Codex and ghc-api settings, pointing Claude Code and Codex
 * at this proxy, installing the tools with npm (output streamed live) and their versions. Depends on common.js. */
'use strict';

(function () {
  var status = null;

  function $(id) { return document.getElementById(id); }
  function when(seconds) { return typeof seconds === 'number' ? new Date(seconds * 1000).toLocaleString() : '—'; }

  function renderStatus(s) {
    status = s;
    var where = $('sync-where');
    if (!s.onedrive_path) {
      setText(where, s.error || (s.onedrive_access_disabled ? 'OneDrive access is disabled by config.' : 'OneDrive path not found.'));
    } else {
      setText(where, 'OneDrive: ' + s.onedrive_path + ' (' + s.found_by + ') · this machine: ' + s.machine + ' · shared copies: ' + s.sync_root);
    }
    $('push-button').disabled = !s.onedrive_path;
    $('pull-button').disabled = !s.onedrive_path || !s.has_sync_files;
    var body = clearNode($('sync-files'));
    Object.keys(s.files || {}).forEach(function (key) {
      var f = s.files[key];
      body.appendChild(el('tr', { 'data-key': key },
        el('td', { class: 'mono' }, key),
        el('td', { class: 'state-' + f.state, 'data-testid': 'state-' + key }, f.state + (f.error ? ': ' + f.error : '')),
        el('td', null, el('div', { class: 'mono' }, f.local_path), el('div', { class: 'muted' }, when(f.local_modified))),
        el('td', null, el('div', { class: 'mono' }, f.sync_path), el('div', { class: 'muted' }, when(f.sync_modified)))));
    });
  }

  /** A unified diff as a <pre class="diff">, its lines coloured as additions, deletions and hunk headers. */
  function diffPre(lines, attrs) {
    var pre = el('pre', Object.assign({ class: 'diff' }, attrs || {}));
    lines.forEach(function (line) {
      line = String(line);
      var kind = line.indexOf('@@') === 0 ? 'hunk' : line[0] === '+' && line.indexOf('+++') !== 0 ? 'add'
        : line[0] === '-' && line.indexOf('---') !== 0 ? 'del' : '';
      pre.appendChild(el('span', { class: kind }, line + '\n'));
    });
    return pre;
  }

  function renderDiffs(d) {
    var box = clearNode($('sync-diffs'));
    var any = false;
    Object.keys(d.diffs || {}).forEach(function (key) {
      var lines = d.diffs[key];
      if (!lines.length) return;
      any = true;
      box.appendChild(el('h3', null, key));
      box.appendChild(diffPre(lines, { 'data-key': key }));
    });
    if (!any) box.appendChild(el('p', { class: 'muted' }, 'No differences.'));
  }

  function renderHashes(h) {
    var body = clearNode($('sync-machines'));
    var shared = h.shared_hash || {};
    body.appendChild(el('tr', null, el('td', null, 'OneDrive (shared copies)'), el('td', { class: 'mono' }, shared.hash || '—'),
      el('td', null, shared.created_at || '—'), el('td', null, '')));
    (h.machines || []).forEach(function (m) {
      var match = m.hash && shared.hash ? (m.hash === shared.hash ? 'yes' : 'no') : '—';
      body.appendChild(el('tr', { 'data-machine': m.machine }, el('td', null, m.machine), el('td', { class: 'mono' }, m.hash || '—'),
        el('td', null, m.created_at || '—'), el('td', { class: match === 'no' ? 'state-different' : 'state-same' }, match)));
    });
  }

  function load() {
    return Promise.all([
      fetchJSON('/api/config-manager/status').then(renderStatus),
      fetchJSON('/api/config-manager/diff').then(renderDiffs),
      fetchJSON('/api/config-manager/config-hashes').then(renderHashes)
    ]).catch(function (err) { setText($('sync-where'), 'Could not load the sync state: ' + err.message); });
  }

  /** What a push or pull would overwrite, for its confirmation. */
  function overwritten(push) {
    var names = [];
    Object.keys((status && status.files) || {}).forEach(function (key) {
      var f = status.files[key];
      var source = push ? f.local_exists : f.sync_exists;
      var target = push ? f.sync_exists : f.local_exists;
      if (source && f.different) names.push((push ? f.sync_path : f.local_path) + (target ? ' (backed up first)' : ' (new)'));
    });
    return names;
  }

  function transfer(push) {
    var names = overwritten(push);
    var question = names.length
      ? (push ? 'Push to OneDrive? This writes:\n' : 'Pull to this machine? This writes:\n') + names.join('\n')
      : 'Nothing differs; run it anyway?';
    if (!window.confirm(question)) return;
    setText($('sync-result'), 'Running…');
    fetchJSON(push ? '/api/config-manager/sync-to-onedrive' : '/api/config-manager/sync-from-onedrive', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
      .then(function (r) {
        setText($('sync-result'), (r.outcomes || []).join(' · ') || 'Done.');
        return load();
      }, function (err) { setText($('sync-result'), err.message); });
  }

  /* ---------- pointing Claude Code and Codex at this proxy ---------- */

  var pointPaths = {};

  function pointURL(tool) { return '/api/config-manager/point/' + tool; }

  /** The change that would point `tool` at this proxy: its file, the warnings and the diff (nothing is written). */
  function showPoint(tool) {
    var result = $('point-' + tool + '-result'), apply = $('point-' + tool + '-apply');
    var box = clearNode($('point-' + tool + '-diff'));
    apply.disabled = true;
    setText(result, 'Loading…');
    return fetchJSON(pointURL(tool)).then(function (p) {
      pointPaths[tool] = p.path;
      box.appendChild(el('p', { class: 'mono point-path' }, p.path));
      var warnings = p.warnings || [];
      if (warnings.length) {
        box.appendChild(el('ul', { class: 'point-warnings' }, warnings.map(function (w) { return el('li', null, w); })));
      }
      if (p.changes) {
        box.appendChild(diffPre(p.diff || [], { 'data-tool': tool }));
        setText(result, '');
        apply.disabled = false;
      } else {
        setText(result, 'Already points at this proxy.');
      }
    }, function (err) { setText(result, err.message); });
  }

  /** Writes the change after a confirmation; the server backs up the old file first. */
  function applyPoint(tool) {
    var path = pointPaths[tool];
    var result = $('point-' + tool + '-result'), apply = $('point-' + tool + '-apply');
    if (!path || !window.confirm('Write ' + path + '? The old file is backed up first.')) return;
    apply.disabled = true;
    setText(result, 'Writing…');
    fetchJSON(pointURL(tool), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
      .then(function (r) {
        var box = clearNode($('point-' + tool + '-diff'));
        box.appendChild(el('p', { class: 'mono point-path' }, r.path || path));
        setText(result, r.backup ? 'Written; the old file is ' + r.backup : 'Written; there was no old file.');
        load();
      }, function (err) {
        setText(result, err.message);
        apply.disabled = false;
      });
  }

  /* ---------- installing the tools ---------- */

  var INSTALL_TOOLS = ['claude-code', 'codex', 'copilot-cli', 'acp-adapters'];

  function parseData(ev) {
    try { return JSON.parse(ev.data); } catch (e) { return null; }
  }

  function clearInstallView() {
    clearNode($('install-steps'));
    clearNode($('install-output'));
  }

  function showStep(d) {
    var list = $('install-steps'), item = null;
    for (var i = 0; i < list.children.length; i++) {
      if (list.children[i].getAttribute('data-tool') === String(d.tool)) item = list.children[i];
    }
    if (!item) item = list.appendChild(el('li', { 'data-tool': String(d.tool) }));
    item.setAttribute('data-status', String(d.status));
    setText(item, d.tool + ': ' + d.status + (d.status === 'failed' && isNum(d.returncode) ? ' (exit ' + d.returncode + ')' : ''));
  }

  function showOutput(d) {
    var out = $('install-output');
    var atBottom = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
    out.hidden = false;
    out.appendChild(el('span', { class: d.stream === 'stderr' ? 'stderr' : null, 'data-tool': String(d.tool) }, String(d.line) + '\n'));
    if (atBottom) out.scrollTop = out.scrollHeight;
  }

  /** Follows the install's events. Every connection replays the run from its start (or the last run's when none is
   * running yet), so the view is redrawn on each. `done(data)` after the `done` event, `ended()` when the stream
   * stops without one; the source is closed in both cases. */
  function followInstall(done, ended) {
    var source = new EventSource('/api/config-manager/install-tools/events');
    source.addEventListener('open', clearInstallView);
    source.addEventListener('step', function (ev) { var d = parseData(ev); if (d) showStep(d); });
    source.addEventListener('output', function (ev) { var d = parseData(ev); if (d) showOutput(d); });
    source.addEventListener('done', function (ev) {
      source.close();
      done(parseData(ev) || {});
    });
    source.onerror = function () {
      source.close();
      ended();
    };
    return source;
  }

  function install() {
    var tools = INSTALL_TOOLS.filter(function (name) { return $('install-' + name).checked; });
    var button = $('install-button'), result = $('install-result');
    if (!tools.length) {
      result.className = 'message message-error';
      setText(result, 'Tick at least one tool.');
      return;
    }
    button.disabled = true;
    result.className = 'message';
    setText(result, 'Installing ' + tools.join(', ') + '…');
    clearInstallView();
    $('install-output').hidden = false;

    /* Live output while the POST runs. A connection made before the run begins gets the previous run's events
     * (or none) and ends: connect again until the POST answers. */
    var answered = false, live = null, retry = null;
    function again() { if (!answered && retry === null) retry = setTimeout(connect, 250); }
    function connect() {
      retry = null;
      live = followInstall(again, again);
    }
    connect();

    function finish(answer, error) {
      answered = true;
      if (retry !== null) clearTimeout(retry);
      if (live) live.close();
      if (error) {
        clearInstallView();
        $('install-output').hidden = true;
        result.className = 'message message-error';
        setText(result, error);
        button.disabled = false;
        return;
      }
      var backups = Object.keys(answer.backups || {}).map(function (k) { return answer.backups[k]; });
      var summary = (answer.ok ? 'All installed.' : 'Some failed; see ' + answer.log_file)
        + (backups.length ? '\nBacked up first: ' + backups.join(', ') : '');
      /* The run is over: one more connection replays exactly its events. */
      followInstall(settle, settle);
      function settle() {
        result.className = 'message ' + (answer.ok ? 'message-ok' : 'message-error');
        setText(result, summary);
        button.disabled = false;
        loadVersions();
      }
    }

    fetchJSON('/api/config-manager/install-tools', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tools: tools })
    }).then(function (answer) { finish(answer, null); }, function (err) {
      /* 500 with results: a tool failed; 500 with `error`: nothing ran (npm is missing); 409: a run is going on. */
      if (err.data && typeof err.data === 'object' && err.data.results) finish(err.data, null);
      else finish(null, err.message);
    });
  }

  /* ---------- software versions ---------- */

  function loadVersions() {
    var body = $('software-versions').tBodies[0];
    return fetchJSON('/api/config-manager/software-versions').then(function (v) {
      clearNode(body);
      (v.software || []).forEach(function (s) {
        body.appendChild(el('tr', { 'data-program': s.program, 'data-status': s.status },
          el('td', null, s.name),
          el('td', { class: 'state-' + s.status }, s.status),
          el('td', { class: 'mono' }, str(s.version)),
          el('td', { class: 'mono' }, str(s.command))));
      });
    }).catch(function (err) {
      clearNode(body).appendChild(el('tr', null, el('td', { colspan: '4', class: 'state-error' }, 'Could not load the versions: ' + err.message)));
    });
  }

  $('push-button').addEventListener('click', function () { transfer(true); });
  $('pull-button').addEventListener('click', function () { transfer(false); });
  ['claude-code', 'codex'].forEach(function (tool) {
    $('point-' + tool + '-show').addEventListener('click', function () { showPoint(tool); });
    $('point-' + tool + '-apply').addEventListener('click', function () { applyPoint(tool); });
  });
  $('install-button').addEventListener('click', install);
  load();
  loadVersions();
})();
