/* ghc-api code agent manager: OneDrive sync of Claude Code, Codex and ghc-api settings. Depends on common.js. */
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

  function renderDiffs(d) {
    var box = clearNode($('sync-diffs'));
    var any = false;
    Object.keys(d.diffs || {}).forEach(function (key) {
      var lines = d.diffs[key];
      if (!lines.length) return;
      any = true;
      var pre = el('pre', { class: 'diff', 'data-key': key });
      lines.forEach(function (line) {
        var kind = line.indexOf('@@') === 0 ? 'hunk' : line[0] === '+' && line.indexOf('+++') !== 0 ? 'add'
          : line[0] === '-' && line.indexOf('---') !== 0 ? 'del' : '';
        pre.appendChild(el('span', { class: kind }, line + '\n'));
      });
      box.appendChild(el('h3', null, key));
      box.appendChild(pre);
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

  $('push-button').addEventListener('click', function () { transfer(true); });
  $('pull-button').addEventListener('click', function () { transfer(false); });
  load();
})();
