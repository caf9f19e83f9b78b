/* ghc-api code agent page: ACP agent sessions — create, list, open, prompt with a streamed turn (server-sent events
 * read from the fetch body), permission questions, resume and end. Depends on common.js. No polling. */
'use strict';

(function () {
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var STOP_SILENT = { end_turn: true, endTurn: true };
  var PLAN_ICONS = { completed: '✓', in_progress: '◐', pending: '○', failed: '✗', cancelled: '✗' };
  var DIFF_CONTEXT = 3;
  var DIFF_MAX_LINES = 2000;

  var state = {
    page: 1,
    totalPages: 1,
    listSeq: 0,
    loadSeq: 0,
    session: null,      /* the open session's detail (header + messages) */
    machine: '',        /* the machine it was read from; '' is this machine */
    renderer: null,     /* renders into #conversation for the open session */
    running: {},        /* session id -> the turn this page is streaming */
    permissions: []     /* queue of {sessionId, request} */
  };

  function $(id) { return document.getElementById(id); }

  /* ---------- small helpers ---------- */

  function toast(message, kind) {
    var box = $('toasts');
    var node = el('div', { class: 'toast toast-' + (kind || 'error') }, String(message));
    box.appendChild(node);
    setTimeout(function () { if (node.parentNode) node.parentNode.removeChild(node); }, 5000);
  }

  /* fetchJSON's message, or the message inside an {"error": {"message": ...}} body */
  function errorText(err) {
    var inner = err && err.data && err.data.error;
    if (inner && typeof inner === 'object' && inner.message) return String(inner.message);
    return err && err.message ? err.message : String(err);
  }

  function sendJSON(url, body, method) {
    return fetchJSON(url, {
      method: method || 'POST',
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body || {})
    });
  }

  function sessionURL(id, suffix) { return '/api/agent/sessions/' + encodeURIComponent(id) + (suffix || ''); }

  function machineQuery(machine, first) { return machine ? (first ? '?' : '&') + 'machine=' + encodeURIComponent(machine) : ''; }

  function pretty(value) {
    if (typeof value === 'string') return value;
    try { return JSON.stringify(value, null, 2); } catch (e) { return String(value); }
  }

  function pad2(n) { return (n < 10 ? '0' : '') + n; }

  /* Session times are local ISO without a zone ("2025-01-05T10:11:12.345678"); a zone or Unix seconds work too. */
  function parseTime(value) {
    if (isNum(value)) return new Date(value * 1000);
    var text = String(value || '');
    var m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?\s*(Z|[+-]\d\d:?\d\d)?$/.exec(text);
    if (!m) {
      var any = text ? new Date(text) : null;
      return any && !isNaN(any.getTime()) ? any : null;
    }
    var ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
    if (!m[8]) return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0), ms);
    var zone = m[8] === 'Z' ? 'Z' : m[8].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
    var d = new Date(m[1] + '-' + m[2] + '-' + m[3] + 'T' + m[4] + ':' + m[5] + ':' + (m[6] || '00') + '.' + pad2(Math.floor(ms / 10)) + (ms % 10) + zone);
    return isNaN(d.getTime()) ? null : d;
  }

  /* "14:05" for today, otherwise "Jan 5 14:05". */
  function friendlyTime(value) {
    var d = parseTime(value);
    if (!d) return str(value, '');
    var hm = pad2(d.getHours()) + ':' + pad2(d.getMinutes());
    var now = new Date();
    if (d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate()) return hm;
    return MONTHS[d.getMonth()] + ' ' + d.getDate() + ' ' + hm;
  }

  function fullTime(value) {
    var d = parseTime(value);
    return d ? d.toLocaleString() : str(value);
  }

  function lastFolder(path) {
    var p = String(path || '').replace(/[\\/]+$/, '');
    var parts = p.split(/[\\/]/);
    return parts[parts.length - 1] || p || '—';
  }

  function statusBadge(status, id) {
    var s = str(status, 'unknown');
    return el('span', { class: 'badge session-status status-' + s.replace(/[^a-z_-]/gi, ''), 'data-status': s, id: id || null }, s);
  }

  /* "agentMessageChunk" / "agent_message_chunk" -> "agent_message_chunk". */
  function updateKind(update) {
    if (!update || typeof update !== 'object') return '';
    var k = update.sessionUpdate || update.session_update || update.type || '';
    return String(k).replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toLowerCase();
  }

  function metaOf(u) {
    var meta = u && (u._meta || u.meta);
    return meta && typeof meta === 'object' ? meta : {};
  }

  function claudeMeta(u) {
    var c = metaOf(u).claudeCode;
    return c && typeof c === 'object' ? c : {};
  }

  function blocksOf(content) {
    if (content === null || content === undefined) return [];
    return Array.isArray(content) ? content : [content];
  }

  function describeBlock(b) {
    if (!b || typeof b !== 'object') return String(b);
    switch (b.type) {
      case 'image': return '[image' + (b.mimeType ? ' ' + b.mimeType : '') + (b.uri ? ' ' + b.uri : '') + ']';
      case 'audio': return '[audio' + (b.mimeType ? ' ' + b.mimeType : '') + ']';
      case 'resource_link': return '[link ' + (b.title || b.name || '') + (b.uri ? ' ' + b.uri : '') + ']';
      case 'resource': {
        var r = b.resource || {};
        return '[resource ' + (r.uri || '') + ']' + (typeof r.text === 'string' ? '\n' + r.text : '');
      }
      default: return typeof b.text === 'string' ? b.text : '[' + (b.type || 'content') + '] ' + pretty(b);
    }
  }

  function plainText(content) {
    if (typeof content === 'string') return content;
    return blocksOf(content).map(function (b) {
      return b && typeof b === 'object' && typeof b.text === 'string' ? b.text : describeBlock(b);
    }).join('');
  }

  /* ---------- markdown-lite: fenced code, inline code, bold, headings, lists, quotes; text nodes only ---------- */

  function inlineMarkdown(text) {
    var frag = document.createDocumentFragment();
    var re = /`([^`\n]+)`|\*\*([^\n]+?)\*\*/g;
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1] !== undefined) frag.appendChild(el('code', null, m[1]));
      else frag.appendChild(el('strong', null, inlineMarkdown(m[2])));
      last = re.lastIndex;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  function renderMarkdown(text) {
    var frag = document.createDocumentFragment();
    var lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    var para = null, list = null, listType = '', quote = null;
    var fenceRe = /^\s*(`{3,}|~{3,})\s*([^`\s]*)/;
    var i = 0, m;
    function close() { para = null; list = null; listType = ''; quote = null; }
    while (i < lines.length) {
      var line = lines[i];
      var fence = fenceRe.exec(line);
      if (fence) {
        close();
        var marker = fence[1], code = [];
        i++;
        while (i < lines.length) {
          var t = lines[i].trim();
          if (t.indexOf(marker) === 0 && /^[`~]+$/.test(t)) break;
          code.push(lines[i]);
          i++;
        }
        i++;
        frag.appendChild(el('pre', { class: 'md-code' }, el('code', fence[2] ? { 'data-lang': fence[2] } : null, code.join('\n'))));
        continue;
      }
      i++;
      if (!line.trim()) { close(); continue; }
      if ((m = /^\s{0,3}(#{1,6})\s+(.*)$/.exec(line))) {
        close();
        frag.appendChild(el('div', { class: 'md-heading md-h' + m[1].length }, inlineMarkdown(m[2])));
        continue;
      }
      var bullet = /^\s*[-*+]\s+(.*)$/.exec(line), number = bullet ? null : /^\s*(\d+)[.)]\s+(.*)$/.exec(line);
      if (bullet || number) {
        var type = bullet ? 'ul' : 'ol';
        if (!list || listType !== type) {
          para = null; quote = null;
          list = el(type, { class: 'md-list', start: number && number[1] !== '1' ? number[1] : null });
          listType = type;
          frag.appendChild(list);
        }
        list.appendChild(el('li', null, inlineMarkdown(bullet ? bullet[1] : number[2])));
        continue;
      }
      if ((m = /^\s*>\s?(.*)$/.exec(line))) {
        if (!quote) { close(); quote = el('blockquote', { class: 'md-quote' }); frag.appendChild(quote); }
        else quote.appendChild(document.createTextNode(' '));
        quote.appendChild(inlineMarkdown(m[1]));
        continue;
      }
      if (list && /^\s+\S/.test(line) && list.lastChild) {
        list.lastChild.appendChild(document.createTextNode(' '));
        list.lastChild.appendChild(inlineMarkdown(line.trim()));
        continue;
      }
      if (!para) { close(); para = el('p'); frag.appendChild(para); }
      else para.appendChild(document.createTextNode(' '));
      para.appendChild(inlineMarkdown(line));
    }
    return frag;
  }

  /* ---------- diffs ---------- */

  function splitLines(text) {
    if (text === null || text === undefined || text === '') return [];
    var lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  /* Line operations [' '|'-'|'+', text]: common prefix and suffix, then an LCS of the middle (a plain replace when it is big). */
  function diffOps(a, b) {
    var ops = [], i, j;
    var pre = 0;
    while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
    var suf = 0;
    while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
    for (i = 0; i < pre; i++) ops.push([' ', a[i]]);
    var x = a.slice(pre, a.length - suf), y = b.slice(pre, b.length - suf);
    var n = x.length, mm = y.length;
    if (n && mm && n * mm <= 1000000) {
      var w = mm + 1, lcs = new Uint32Array((n + 1) * w);
      for (i = n - 1; i >= 0; i--) {
        for (j = mm - 1; j >= 0; j--) {
          lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
        }
      }
      i = 0; j = 0;
      while (i < n && j < mm) {
        if (x[i] === y[j]) { ops.push([' ', x[i]]); i++; j++; }
        else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) { ops.push(['-', x[i]]); i++; }
        else { ops.push(['+', y[j]]); j++; }
      }
      while (i < n) ops.push(['-', x[i++]]);
      while (j < mm) ops.push(['+', y[j++]]);
    } else {
      x.forEach(function (line) { ops.push(['-', line]); });
      y.forEach(function (line) { ops.push(['+', line]); });
    }
    for (i = a.length - suf; i < a.length; i++) ops.push([' ', a[i]]);
    return ops;
  }

  function diffNode(item) {
    var path = str(item.path, '(file)');
    var isNew = item.oldText === null || item.oldText === undefined;
    var isDeleted = !isNew && (item.newText === null || item.newText === undefined);
    var ops = diffOps(splitLines(item.oldText), splitLines(item.newText));
    var body = el('pre', { class: 'diff tool-diff-body' });
    var show = [];
    ops.forEach(function (op, k) {
      if (op[0] === ' ') return;
      for (var d = -DIFF_CONTEXT; d <= DIFF_CONTEXT; d++) show[k + d] = true;
    });
    var oldNo = 1, newNo = 1, inHunk = false, shown = 0, changed = false;
    for (var k = 0; k < ops.length; k++) {
      var op = ops[k];
      if (show[k] && shown < DIFF_MAX_LINES) {
        if (!inHunk && !isNew) body.appendChild(el('span', { class: 'hunk' }, '@@ -' + oldNo + ' +' + newNo + ' @@\n'));
        inHunk = true;
        body.appendChild(el('span', { class: op[0] === '+' ? 'add' : op[0] === '-' ? 'del' : 'ctx' }, op[0] + op[1] + '\n'));
        shown++;
      } else {
        inHunk = false;
      }
      if (op[0] !== ' ') changed = true;
      if (op[0] !== '+') oldNo++;
      if (op[0] !== '-') newNo++;
    }
    if (shown >= DIFF_MAX_LINES) body.appendChild(el('span', { class: 'hunk' }, '… diff truncated\n'));
    if (!changed) body.appendChild(el('span', { class: 'muted' }, '(no changes)\n'));
    return el('div', { class: 'tool-diff', 'data-path': path },
      el('div', { class: 'diff-path mono' }, path, isNew ? ' (new file)' : isDeleted ? ' (deleted)' : ''),
      body);
  }

  function toolContentNode(item) {
    if (!item || typeof item !== 'object') return el('pre', { class: 'code tool-text' }, pretty(item));
    if (item.type === 'diff') return diffNode(item);
    if (item.type === 'terminal') {
      var tid = str(item.terminalId || item.terminal_id, '?');
      return el('div', { class: 'tool-terminal mono', 'data-terminal-id': tid }, 'terminal ' + tid);
    }
    var block = item.type === 'content' ? item.content : item;
    if (block && typeof block === 'object' && typeof block.text === 'string') return el('pre', { class: 'code tool-text' }, block.text);
    return el('div', { class: 'tool-text tool-attachment muted' }, describeBlock(block));
  }

  function detailsNode(cls, label, value, open) {
    return el('details', { class: 'tool-raw ' + cls, open: open ? true : null }, el('summary', null, label), el('pre', { class: 'code' }, pretty(value)));
  }

  /* ---------- conversation rendering ---------- */

  function Renderer(box, hooks) {
    this.box = box;
    this.hooks = hooks || {};
    this.tools = {};
    this.reset();
  }

  Renderer.prototype.reset = function () {
    this.agent = null;      /* the current agent block */
    this.body = null;
    this.last = '';         /* 'text' | 'thought' | 'tool' | 'plan' | 'user' */
    this.text = null; this.textRaw = ''; this.textId = null;
    this.thought = null; this.thoughtRaw = '';
    this.userChunk = null; this.userRaw = '';
    this.plan = null;
    this.usage = null;
  };

  /* Runs fn and keeps the view pinned to the bottom when it was there. */
  Renderer.prototype.run = function (fn) {
    var b = this.box;
    var stick = b.scrollHeight - b.scrollTop - b.clientHeight < 80;
    fn.call(this);
    if (stick) b.scrollTop = b.scrollHeight;
  };

  Renderer.prototype.user = function (text) {
    this.reset();
    var body = el('div', { class: 'msg-body user-text' }, text);
    var node = el('div', { class: 'msg msg-user' }, el('div', { class: 'msg-label' }, 'You'), body);
    this.box.appendChild(node);
    this.last = 'user';
    return { node: node, body: body };
  };

  Renderer.prototype.ensureAgent = function () {
    if (!this.agent) {
      this.body = el('div', { class: 'msg-body' });
      /* verbose until something non-verbose arrives, so an agent block of only usage lines hides with them */
      this.agent = el('div', { class: 'msg msg-agent verbose' }, el('div', { class: 'msg-label' }, 'Agent'), this.body);
      this.box.appendChild(this.agent);
      this.plan = null;
      this.usage = null;
    }
    return this.body;
  };

  Renderer.prototype.add = function (node, verbose) {
    var body = this.ensureAgent();
    if (verbose) node.classList.add('verbose');
    else this.agent.classList.remove('verbose');
    body.appendChild(node);
    return node;
  };

  Renderer.prototype.info = function (cls, text, title) {
    return this.add(el('div', { class: 'info-line ' + cls, title: title || null }, text), true);
  };

  Renderer.prototype.note = function (text) { return this.add(el('div', { class: 'info-line turn-note' }, text), false); };

  Renderer.prototype.error = function (message) { return this.add(el('div', { class: 'agent-error', role: 'alert' }, 'Error: ' + message), false); };

  Renderer.prototype.finish = function (reason) {
    if (reason && !STOP_SILENT[reason]) this.add(el('div', { class: 'stop-reason', 'data-stop-reason': String(reason) }, 'Stop: ' + reason), false);
    this.agent = null;
    this.last = '';
  };

  Renderer.prototype.appendText = function (text, messageId) {
    if (this.last !== 'text' || !this.text || !this.agent || (messageId && this.textId && messageId !== this.textId)) {
      this.text = this.add(el('div', { class: 'agent-text md' }), false);
      this.textRaw = '';
      this.textId = messageId || null;
      this.last = 'text';
    }
    this.textRaw += text;
    clearNode(this.text).appendChild(renderMarkdown(this.textRaw));
  };

  Renderer.prototype.appendThought = function (text) {
    if (this.last !== 'thought' || !this.thought || !this.agent) {
      this.thoughtText = el('div', { class: 'thought-text' });
      this.thought = this.add(el('div', { class: 'agent-thought' }, el('div', { class: 'thought-label' }, 'Thinking'), this.thoughtText), true);
      this.thoughtRaw = '';
      this.last = 'thought';
    }
    this.thoughtRaw += text;
    this.thoughtText.textContent = this.thoughtRaw;
  };

  Renderer.prototype.appendUserChunk = function (text) {
    if (this.last !== 'user' || !this.userChunk) {
      this.userChunk = this.user('').body;
      this.userRaw = '';
      this.last = 'user';
    }
    this.userRaw += text;
    this.userChunk.textContent = this.userRaw;
  };

  Renderer.prototype.tool = function (u, isNew) {
    var id = str(u.toolCallId || u.tool_call_id || u.id, '');
    var t = id ? this.tools[id] : null;
    /* an update finds its call anywhere; a new call with a reused id starts its own block unless it is in this block */
    if (t && (!t.node.isConnected || (isNew && (!this.agent || !this.agent.contains(t.node))))) t = null;
    if (!t) {
      var node = el('div', { class: 'tool-call', 'data-tool-call-id': id, 'data-status': 'pending' });
      t = {
        node: node,
        title: el('span', { class: 'tool-title' }),
        name: el('span', { class: 'tag tool-name' }),
        kind: el('span', { class: 'tag tool-kind' }),
        status: el('span', { class: 'badge tool-status' }),
        locations: el('div', { class: 'tool-locations mono verbose' }),
        content: el('div', { class: 'tool-content' }),
        details: el('div', { class: 'tool-details verbose' }),
        input: null, output: null, response: null, titleText: ''
      };
      appendChildren(node, [el('div', { class: 'tool-head' }, el('span', { class: 'tool-icon', 'aria-hidden': 'true' }, '⚙'),
        t.title, t.name, t.kind, t.status), t.locations, t.content, t.details]);
      if (id) this.tools[id] = t;
      this.add(node, false);
      this.last = 'tool';
      this.setToolStatus(t, 'pending');
    }
    this.applyTool(t, u);
  };

  Renderer.prototype.setToolStatus = function (t, status) {
    var s = str(status, 'pending');
    t.status.textContent = s;
    t.status.className = 'badge tool-status tool-status-' + s.replace(/[^a-z_-]/gi, '');
    t.node.setAttribute('data-status', s);
  };

  Renderer.prototype.applyTool = function (t, u) {
    var cc = claudeMeta(u);
    if (typeof u.title === 'string' && u.title) t.titleText = u.title;
    var toolName = typeof cc.toolName === 'string' ? cc.toolName : '';
    if (toolName) t.name.textContent = toolName === t.titleText ? '' : toolName;
    if (typeof u.kind === 'string') t.kind.textContent = u.kind;
    t.title.textContent = t.titleText || toolName || t.kind.textContent || 'Tool';
    if (u.status) this.setToolStatus(t, u.status);
    if (Array.isArray(u.locations)) {
      t.locations.textContent = u.locations.map(function (l) {
        return l && typeof l === 'object' ? str(l.path, '?') + (isNum(l.line) ? ':' + l.line : '') : String(l);
      }).join(', ');
    }
    if (Array.isArray(u.content)) {
      clearNode(t.content);
      u.content.forEach(function (item) { t.content.appendChild(toolContentNode(item)); });
    }
    if (u.rawInput !== undefined) {
      var input = detailsNode('tool-raw-input', 'Input', u.rawInput, false);
      if (t.input) t.details.replaceChild(input, t.input); else t.details.insertBefore(input, t.details.firstChild);
      t.input = input;
    }
    if (u.rawOutput !== undefined) {
      var output = detailsNode('tool-raw-output', 'Output', u.rawOutput, false);
      if (t.output) t.details.replaceChild(output, t.output); else t.details.insertBefore(output, t.response);
      t.output = output;
    }
    if (cc.toolResponse !== undefined) {
      var resp = cc.toolResponse, node;
      if (resp && typeof resp === 'object' && (typeof resp.stdout === 'string' || typeof resp.stderr === 'string')) {
        node = el('div', { class: 'tool-response' },
          resp.stdout ? [el('div', { class: 'tool-io-label' }, 'stdout'), el('pre', { class: 'code tool-stdout' }, resp.stdout)] : null,
          resp.stderr ? [el('div', { class: 'tool-io-label' }, 'stderr'), el('pre', { class: 'code tool-stderr' }, resp.stderr)] : null);
      } else {
        node = el('div', { class: 'tool-response' }, detailsNode('tool-raw-response', 'Tool response', resp, false));
      }
      if (t.response) t.details.replaceChild(node, t.response); else t.details.appendChild(node);
      t.response = node;
    }
  };

  Renderer.prototype.planUpdate = function (u) {
    var entries = u.entries || u.planItems || u.plan_items || u.items ||
      (u.plan && typeof u.plan === 'object' ? (u.plan.entries || u.plan.planItems || u.plan.items) : null) || [];
    if (!Array.isArray(entries)) entries = [];
    var list = el('ol', { class: 'plan-entries' });
    entries.forEach(function (e) {
      var entry = e && typeof e === 'object' ? e : { content: e };
      var status = str(entry.status, 'pending');
      var text = entry.content !== undefined ? entry.content : entry.title !== undefined ? entry.title : entry.text;
      list.appendChild(el('li', { class: 'plan-entry plan-' + status.replace(/[^a-z_-]/gi, ''), 'data-status': status },
        el('span', { class: 'plan-icon', 'aria-hidden': 'true', title: status }, PLAN_ICONS[status] || '•'),
        el('span', { class: 'plan-text' }, typeof text === 'string' ? text : pretty(text)),
        el('span', { class: 'visually-hidden' }, ' (' + status + ')'),
        entry.priority ? el('span', { class: 'tag plan-priority' }, String(entry.priority)) : null));
    });
    if (this.plan && this.agent && this.plan.parentNode === this.body) {
      this.plan.replaceChild(list, this.plan.lastChild);
    } else {
      this.plan = this.add(el('div', { class: 'plan' }, el('div', { class: 'plan-title' }, 'Plan'), list), false);
      this.last = 'plan';
    }
  };

  Renderer.prototype.usageUpdate = function (u) {
    var src = u.usage && typeof u.usage === 'object' ? u.usage : u;
    var text = 'Tokens: ' + formatNumber(src.used) + ' / ' + formatNumber(src.size);
    var cost = src.cost;
    if (cost !== null && cost !== undefined) {
      var amount = typeof cost === 'object' ? cost.amount : cost;
      var currency = typeof cost === 'object' && cost.currency ? String(cost.currency) : 'USD';
      if (isNum(amount)) {
        var shown = String(Number(amount.toFixed(4)));
        text += ' | Cost: ' + (currency === 'USD' ? '$' + shown : shown + ' ' + currency);
      }
    }
    if (this.usage && this.agent && this.usage.parentNode === this.body) this.usage.textContent = text;
    else this.usage = this.info('usage', text);
  };

  Renderer.prototype.update = function (u) {
    if (!u || typeof u !== 'object') { this.info('unknown-update', 'Update: ' + pretty(u)); return; }
    var kind = updateKind(u);
    switch (kind) {
      case 'agent_message_chunk':
        blocksOf(u.content).forEach(function (b) {
          if (b && typeof b === 'object' && typeof b.text === 'string' && (!b.type || b.type === 'text')) this.appendText(b.text, u.messageId || u.message_id);
          else if (typeof b === 'string') this.appendText(b, u.messageId || u.message_id);
          else { this.add(el('div', { class: 'agent-attachment muted' }, describeBlock(b)), false); this.last = 'attachment'; }
        }, this);
        break;
      case 'agent_thought_chunk':
        this.appendThought(plainText(u.content));
        break;
      case 'user_message_chunk':
        this.appendUserChunk(plainText(u.content));
        break;
      case 'tool_call':
        this.tool(u, true);
        break;
      case 'tool_call_update':
        this.tool(u, false);
        break;
      case 'plan':
      case 'plan_update':
        this.planUpdate(u);
        break;
      case 'available_commands_update': {
        var cmds = u.availableCommands || u.available_commands || [];
        if (!Array.isArray(cmds)) cmds = [];
        var names = cmds.map(function (c) { return '/' + String(c && typeof c === 'object' ? c.name : c).replace(/^\//, ''); });
        var tips = cmds.map(function (c) { return c && c.description ? '/' + String(c.name).replace(/^\//, '') + ': ' + c.description : ''; })
          .filter(Boolean).join('\n');
        this.info('commands', 'Commands: ' + (names.length ? names.join(', ') : '(none)'), tips);
        break;
      }
      case 'current_mode_update': {
        var mode = u.currentModeId || u.current_mode_id || u.modeId || u.mode_id;
        if (this.hooks.mode) this.hooks.mode(mode);
        this.info('mode-change', 'Mode: ' + (this.hooks.modeName ? this.hooks.modeName(mode) : str(mode)));
        break;
      }
      case 'usage_update':
        this.usageUpdate(u);
        break;
      case 'config_option_update': {
        var opts = u.configOptions || u.config_options;
        var text = Array.isArray(opts) ? opts.map(function (o) {
          if (!o || typeof o !== 'object') return String(o);
          var v = o.currentValue !== undefined ? o.currentValue : o.current_value !== undefined ? o.current_value : o.value;
          return str(o.name || o.id, '?') + '=' + (typeof v === 'string' ? v : pretty(v));
        }).join(', ') : pretty(opts);
        this.info('config-options', 'Config: ' + text);
        break;
      }
      case 'session_info_update': {
        var parts = [];
        if (u.title) parts.push(String(u.title));
        if (u.updatedAt || u.updated_at) parts.push('updated ' + fullTime(u.updatedAt || u.updated_at));
        if (u.title && this.hooks.title) this.hooks.title(String(u.title));
        this.info('session-info', 'Session: ' + (parts.length ? parts.join(' · ') : pretty(u)));
        break;
      }
      default:
        this.info('unknown-update', (kind || 'update') + ': ' + JSON.stringify(u));
    }
  };

  Renderer.prototype.message = function (m) {
    if (!m || typeof m !== 'object') return;
    if (m.role === 'user') {
      this.user(plainText(m.content !== undefined ? m.content : m.text));
    } else if (m.role === 'agent' || m.role === 'assistant') {
      this.agent = null;
      this.last = '';
      (Array.isArray(m.updates) ? m.updates : []).forEach(function (u) { this.update(u); }, this);
      if (m.error) this.error(String(m.error));
      this.finish(m.stop_reason || m.stopReason);
    } else {
      this.info('unknown-message', pretty(m));
    }
  };

  /* ---------- the open session ---------- */

  function modeName(modes, id) {
    var list = modes && Array.isArray(modes.availableModes) ? modes.availableModes : [];
    for (var i = 0; i < list.length; i++) if (list[i] && list[i].id === id) return str(list[i].name, id);
    return str(id, '');
  }

  function modeLabel(d) {
    var modes = d && d.modes;
    return modes && modes.currentModeId ? 'Mode: ' + modeName(modes, modes.currentModeId) : '';
  }

  function headerNode(d) {
    var info = d.agent_info && typeof d.agent_info === 'object' ? d.agent_info : {};
    var title = d.title || (d.session_info && d.session_info.title) || '';
    return el('div', { class: 'session-header', id: 'session-header', 'data-session-id': str(d.session_id, '') },
      el('span', { class: 'badge agent-badge', id: 'session-kind' }, str(d.agent_kind, '?')),
      el('span', { class: 'session-dir mono', id: 'session-dir', title: str(d.working_directory, '') }, str(d.working_directory)),
      statusBadge(d.status, 'session-status'),
      el('span', { class: 'muted', id: 'session-created', title: 'Created ' + fullTime(d.created_at) }, 'created ' + fullTime(d.created_at)),
      el('span', { class: 'tag session-mode', id: 'session-mode' }, modeLabel(d)),
      el('span', { class: 'session-title', id: 'session-title' }, title),
      info.name ? el('span', { class: 'muted session-agent-info' }, info.name + (info.version ? ' ' + info.version : '')) : null,
      state.machine ? el('span', { class: 'tag session-machine' }, state.machine) : null,
      el('span', { class: 'muted mono session-id', title: str(d.session_id, '') }, str(d.session_id, '')));
  }

  function isLive() {
    var s = state.session;
    return !!s && s.status === 'active' && !state.machine;
  }

  function readOnlyReason(s) {
    if (state.machine) return 'Read-only: this session belongs to ' + state.machine + '.';
    switch (s.status) {
      case 'elsewhere': return 'Read-only: another ghc-api process on this machine runs this session.';
      case 'terminated': return 'This session was ended.';
      case 'disconnected': return 'Disconnected: the agent process of this session is gone.';
      default: return 'Read-only (' + str(s.status, 'unknown') + ').';
    }
  }

  function updateControls() {
    var s = state.session, live = isLive();
    var turn = s ? state.running[s.session_id] : null;
    $('prompt-area').hidden = !live;
    $('send').disabled = !live || !!turn;
    $('cancel').disabled = !live || !((turn && !turn.cancelling) || (!turn && s && s.busy === true));
    $('end-session').disabled = !live || state.ending === true;
    setText($('turn-status'), turn ? (turn.cancelling ? 'Cancelling…' : 'Agent is working…') : '');
    var actions = $('session-actions');
    if (s && !live) {
      actions.hidden = false;
      setText($('readonly-note'), readOnlyReason(s));
      $('resume-session').hidden = !(s.resumable === true && !state.machine);
    } else {
      actions.hidden = true;
      $('resume-session').hidden = true;
    }
  }

  function markSelected() {
    var id = state.session ? state.session.session_id : null;
    var items = $('session-list').querySelectorAll('.session-item');
    for (var i = 0; i < items.length; i++) {
      var on = id !== null && items[i].getAttribute('data-session-id') === id && items[i].getAttribute('data-machine') === state.machine;
      items[i].classList.toggle('selected', on);
      if (on) items[i].setAttribute('aria-current', 'true'); else items[i].removeAttribute('aria-current');
    }
  }

  function openSession(detail, machine) {
    state.session = detail;
    state.machine = machine || '';
    var box = clearNode($('conversation'));
    box.appendChild(headerNode(detail));
    var r = new Renderer(box, {
      mode: function (id) {
        if (!id || state.renderer !== r) return;
        var s = state.session;
        s.modes = s.modes && typeof s.modes === 'object' ? s.modes : { availableModes: [] };
        s.modes.currentModeId = id;
        setText($('session-mode'), modeLabel(s));
      },
      modeName: function (id) { return modeName(detail.modes, id); },
      title: function (title) { if (state.renderer === r) setText($('session-title'), title); }
    });
    state.renderer = r;
    (Array.isArray(detail.messages) ? detail.messages : []).forEach(function (m) { r.message(m); });
    var id = detail.session_id;
    var turn = state.running[id];
    if (turn && !state.machine) {
      /* a turn this page streams is still running: show the rest of it here, and the whole of it when it ends */
      turn.renderer = r;
      turn.reattached = true;
      r.note('A turn is running…');
    } else if (detail.busy === true) {
      r.note('A turn is running; reopen the session when it ends to see its answer.');
    }
    box.scrollTop = box.scrollHeight;
    updateControls();
    markSelected();
    if (!state.machine && Array.isArray(detail.pending_permissions)) {
      detail.pending_permissions.forEach(function (p) { queuePermission(id, p); });
    }
  }

  function selectSession(id, machine) {
    var seq = ++state.loadSeq;
    return fetchJSON(sessionURL(id) + machineQuery(machine, true)).then(function (detail) {
      if (seq !== state.loadSeq) return;
      openSession(detail, machine);
    }, function (err) { toast(errorText(err)); });
  }

  function reloadSession(id) {
    if (!state.session || state.session.session_id !== id) return Promise.resolve();
    return selectSession(id, state.machine);
  }

  /* ---------- a prompt turn ---------- */

  /* Reads "event:"/"data:" lines from a fetch body; ":" lines are comments; a blank line ends an event. */
  function readEvents(resp, onEvent) {
    var event = '', data = [], buffer = '';
    function line(l) {
      if (l === '') {
        if (event || data.length) {
          try { onEvent(event || 'message', data.join('\n')); } catch (e) { if (window.console) console.error(e); }
        }
        event = ''; data = [];
        return;
      }
      if (l.charAt(0) === ':') return;
      var idx = l.indexOf(':');
      var field = idx < 0 ? l : l.slice(0, idx), value = idx < 0 ? '' : l.slice(idx + 1);
      if (value.charAt(0) === ' ') value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    function feed(text, final) {
      buffer += text;
      var parts = buffer.split(/\r\n|\n|\r(?!$)/);
      buffer = final ? '' : parts.pop();
      parts.forEach(line);
      if (final) line('');
    }
    if (!resp.body || typeof resp.body.getReader !== 'function') {
      return resp.text().then(function (text) { feed(text, true); });
    }
    var reader = resp.body.getReader(), decoder = new TextDecoder();
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) { feed(decoder.decode(), true); return; }
        feed(decoder.decode(chunk.value, { stream: true }), false);
        return pump();
      });
    }
    return pump();
  }

  /* The renderer of the turn when its session is on screen, else null (the turn still runs; permissions still ask). */
  function turnView(turn) { return turn.renderer && state.renderer === turn.renderer ? turn.renderer : null; }

  function handleEvent(turn, name, data) {
    var payload = null;
    if (data) { try { payload = JSON.parse(data); } catch (e) { payload = data; } }
    var r = turnView(turn);
    switch (name) {
      case 'update':
        if (r) r.run(function () { r.update(payload); });
        break;
      case 'permission':
        queuePermission(turn.id, payload);
        break;
      case 'permission_resolved':
        if (payload && payload.request_id !== undefined) dropPermission(turn.id, String(payload.request_id));
        break;
      case 'error': {
        var msg = payload && typeof payload === 'object' ? str(payload.message || payload.error, 'error') : str(payload, 'error');
        turn.failed = true;
        if (r) r.run(function () { r.error(msg); });
        toast(msg);
        break;
      }
      case 'done':
        turn.done = true;
        turn.stopReason = payload && typeof payload === 'object' ? (payload.stop_reason || payload.stopReason) : payload;
        if (r) r.run(function () { r.finish(turn.stopReason); });
        dropPermission(turn.id);
        break;
      default:
        break;
    }
  }

  function send() {
    var s = state.session;
    if (!isLive()) return;
    var id = s.session_id;
    if (state.running[id]) return;
    var box = $('prompt-text');
    var text = box.value;
    if (!text.trim()) { box.focus(); return; }
    var r = state.renderer;
    var turn = { id: id, renderer: r, done: false, stopReason: null, cancelling: false, reattached: false, bubble: null };
    state.running[id] = turn;
    box.value = '';
    r.run(function () { turn.bubble = r.user(text).node; });
    r.reset();
    updateControls();
    fetch(sessionURL(id, '/prompt'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
      body: JSON.stringify({ text: text })
    }).then(function (resp) {
      if (!resp.ok) {
        return resp.text().then(function (body) {
          var msg = '';
          try {
            var e = JSON.parse(body).error;
            msg = e && typeof e === 'object' ? str(e.message, '') : str(e, '');
          } catch (ignored) { msg = ''; }
          var err = new Error(msg || 'HTTP ' + resp.status);
          err.status = resp.status;
          err.refused = true;
          throw err;
        });
      }
      return readEvents(resp, function (name, data) { handleEvent(turn, name, data); });
    }).then(function () {
      var view = turnView(turn);
      if (!turn.done && view) view.run(function () { view.error('The stream ended without a result.'); view.finish(null); });
    }, function (err) {
      if (err && err.refused) {
        /* the turn never started: take the bubble back and the text too */
        if (turn.bubble && turn.bubble.parentNode) turn.bubble.parentNode.removeChild(turn.bubble);
        if (!box.value) box.value = text;
        toast(errorText(err));
        if (err.status === 400 && /not active/i.test(err.message)) turn.reload = true;
      } else {
        var view = turnView(turn);
        if (view) view.run(function () { view.error(errorText(err)); view.finish(null); });
        toast(errorText(err));
      }
    }).then(function () {
      delete state.running[id];
      dropPermission(id);
      if (state.session && state.session.session_id === id) {
        if (turn.reattached || turn.reload) reloadSession(id);
        else {
          if (turn.failed === undefined && turn.done) state.session.busy = false;
          updateControls();
          if (document.activeElement === document.body) box.focus();
        }
      }
    });
  }

  function cancelTurn() {
    var s = state.session;
    if (!isLive()) return;
    var id = s.session_id;
    var turn = state.running[id];
    if (!turn && s.busy !== true) return;
    if (turn) { if (turn.cancelling) return; turn.cancelling = true; }
    updateControls();
    sendJSON(sessionURL(id, '/cancel'), {}).then(function () {
      if (!turn && state.session === s) { s.busy = false; updateControls(); }
    }, function (err) {
      if (turn) turn.cancelling = false;
      toast(errorText(err));
      updateControls();
    });
  }

  function endSession() {
    var s = state.session;
    if (!isLive()) return;
    var id = s.session_id;
    state.ending = true;
    updateControls();
    fetchJSON(sessionURL(id), { method: 'DELETE', credentials: 'same-origin' }).then(function () {
      dropPermission(id);
      return Promise.all([loadSessions(), reloadSession(id)]);
    }, function (err) { toast(errorText(err)); }).then(function () {
      state.ending = false;
      updateControls();
    });
  }

  function resumeSession() {
    var s = state.session;
    if (!s || state.machine) return;
    var id = s.session_id, button = $('resume-session');
    button.disabled = true;
    button.textContent = 'Resuming…';
    sendJSON(sessionURL(id, '/resume'), { bypass_permissions: $('bypass').checked }).then(function () {
      return Promise.all([selectSession(id, ''), loadSessions()]).then(function () {
        if (isLive()) $('prompt-text').focus();
      });
    }, function (err) { toast(errorText(err)); }).then(function () {
      button.disabled = false;
      button.textContent = 'Resume';
    });
  }

  /* ---------- permissions ---------- */

  function queuePermission(sessionId, request) {
    if (!request || typeof request !== 'object' || request.request_id === undefined) return;
    var rid = String(request.request_id);
    for (var i = 0; i < state.permissions.length; i++) {
      if (state.permissions[i].sessionId === sessionId && state.permissions[i].requestId === rid) return;
    }
    state.permissions.push({ sessionId: sessionId, requestId: rid, request: request });
    showPermission();
  }

  /* Forgets one request (or, without requestId, every request of the session) and shows the next one. */
  function dropPermission(sessionId, requestId) {
    var before = state.permissions.length;
    state.permissions = state.permissions.filter(function (p) {
      return !(p.sessionId === sessionId && (requestId === undefined || p.requestId === requestId));
    });
    if (state.permissions.length !== before || $('permission-dialog').open) showPermission();
  }

  function optionClass(kind) {
    var k = String(kind || '');
    return k.indexOf('allow') === 0 ? 'allow' : k.indexOf('reject') === 0 ? 'reject' : 'other';
  }

  function showPermission() {
    var dialog = $('permission-dialog');
    var p = state.permissions[0];
    if (!p) {
      if (dialog.open) {
        dialog.close();
        /* give the keyboard back to the prompt explicitly (the browser's focus restore is not always a real focus) */
        if (isLive()) {
          var box = $('prompt-text');
          if (document.activeElement === box) box.blur();
          box.focus();
        }
      }
      dialog.removeAttribute('data-request-id');
      dialog.removeAttribute('data-session-id');
      return;
    }
    setText($('permission-queue'), state.permissions.length > 1 ? (state.permissions.length - 1) + ' more waiting' : '');
    if (dialog.open && dialog.getAttribute('data-request-id') === p.requestId && dialog.getAttribute('data-session-id') === p.sessionId) return;
    var tc = p.request.tool_call || p.request.toolCall || {};
    var cc = claudeMeta(tc);
    var title = str(tc.title || cc.toolName, 'Tool call');
    clearNode($('permission-tool')).appendChild(el('span', { class: 'permission-tool-title' }, title));
    if (tc.kind) $('permission-tool').appendChild(el('span', { class: 'tag permission-tool-kind' }, String(tc.kind)));
    if (!state.session || state.session.session_id !== p.sessionId) {
      $('permission-tool').appendChild(el('div', { class: 'muted' }, 'Session ' + p.sessionId.slice(0, 16)));
    }
    var details = clearNode($('permission-details'));
    if (Array.isArray(tc.content)) tc.content.forEach(function (item) { details.appendChild(toolContentNode(item)); });
    if (tc.rawInput !== undefined) details.appendChild(detailsNode('permission-input', 'Input', tc.rawInput, !Array.isArray(tc.content) || !tc.content.length));
    var options = clearNode($('permission-options'));
    (Array.isArray(p.request.options) ? p.request.options : []).forEach(function (o) {
      var optionId = str(o.optionId || o.option_id || o.id, '');
      options.appendChild(el('button', {
        type: 'button',
        class: 'button perm-option ' + optionClass(o.kind),
        'data-option-id': optionId,
        'data-kind': str(o.kind, ''),
        onclick: function () { answerPermission({ option_id: optionId }); }
      }, str(o.name, optionId)));
    });
    dialog.setAttribute('data-request-id', p.requestId);
    dialog.setAttribute('data-session-id', p.sessionId);
    setButtonsDisabled(false);
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
    }
    var first = options.querySelector('button');
    if (first) first.focus();
  }

  function setButtonsDisabled(disabled) {
    var buttons = $('permission-dialog').querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = disabled;
  }

  function answerPermission(answer) {
    var p = state.permissions[0];
    if (!p) return;
    var body = { request_id: p.request.request_id };
    Object.keys(answer).forEach(function (k) { body[k] = answer[k]; });
    setButtonsDisabled(true);
    sendJSON(sessionURL(p.sessionId, '/permission'), body).then(function () {
      dropPermission(p.sessionId, p.requestId);
    }, function (err) {
      toast(errorText(err));
      /* 404: the request is gone (answered elsewhere, or the turn ended); 400: the session is not active */
      if (err.status === 404 || err.status === 400) dropPermission(p.sessionId, p.requestId);
      else setButtonsDisabled(false);
    });
  }

  /* ---------- the session list, machines, agents, work dirs ---------- */

  function loadSessions() {
    var machine = $('machine').value;
    var url = '/api/agent/sessions?page=' + state.page + '&per_page=' + encodeURIComponent($('per-page').value) + machineQuery(machine, false);
    var seq = ++state.listSeq;
    return fetchJSON(url).then(function (data) {
      if (seq !== state.listSeq) return;
      state.totalPages = Math.max(1, isNum(data.total_pages) ? data.total_pages : 1);
      var items = Array.isArray(data.items) ? data.items : [];
      if (!items.length && state.page > state.totalPages) {
        state.page = state.totalPages;
        return loadSessions();
      }
      renderList(items, machine, data);
    }, function (err) { toast('Could not load the sessions: ' + errorText(err)); });
  }

  function renderList(items, machine, data) {
    var list = clearNode($('session-list'));
    if (!items.length) list.appendChild(el('li', { class: 'empty' }, 'No sessions.'));
    items.forEach(function (item) {
      var id = str(item.session_id, '');
      var dir = str(item.working_directory, '');
      var when = item.updated_at || item.created_at;
      var li = el('li', {
        class: 'session-item',
        'data-session-id': id,
        'data-machine': machine,
        'data-status': str(item.status, 'unknown'),
        tabindex: '0',
        title: dir + '\n' + id + '\ncreated ' + fullTime(item.created_at) + (item.updated_at ? '\nupdated ' + fullTime(item.updated_at) : '')
      },
        el('div', { class: 'entry-line' },
          el('span', { class: 'badge agent-badge' }, str(item.agent_kind, '?')),
          statusBadge(item.status),
          el('span', { class: 'session-time' }, friendlyTime(when))),
        el('div', { class: 'session-dir' }, lastFolder(dir)),
        el('div', { class: 'session-id mono muted' }, id.slice(0, 16),
          isNum(item.message_count) ? el('span', { class: 'session-count' }, ' · ' + item.message_count + ' msg') : null));
      li.addEventListener('click', function () { selectSession(id, machine); });
      li.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); selectSession(id, machine); }
      });
      list.appendChild(li);
    });
    var total = isNum(data.total) ? data.total : items.length;
    setText($('sessions-page-info'), 'page ' + state.page + ' of ' + state.totalPages + ' · ' + total + ' session' + (total === 1 ? '' : 's'));
    $('sessions-prev').disabled = state.page <= 1;
    $('sessions-next').disabled = state.page >= state.totalPages;
    markSelected();
  }

  function loadMachines() {
    var select = $('machine');
    return fetchJSON('/api/agent/machines').then(function (data) {
      var chosen = select.value;
      clearNode(select);
      (Array.isArray(data.machines) ? data.machines : []).forEach(function (m, i) {
        select.appendChild(el('option', { value: i === 0 ? '' : String(m), 'data-machine': String(m) }, i === 0 ? m + ' (current)' : String(m)));
      });
      if (!select.options.length) select.appendChild(el('option', { value: '' }, '(current)'));
      select.value = chosen;
      if (select.selectedIndex < 0) select.value = '';
    }, function (err) {
      if (!select.options.length) select.appendChild(el('option', { value: '' }, '(current)'));
      toast('Could not load the machines: ' + errorText(err));
    });
  }

  function loadAgents() {
    var select = $('agent-kind');
    return fetchJSON('/api/agent/agents').then(function (data) {
      var chosen = select.value, first = null, chosenOk = false;
      clearNode(select);
      (Array.isArray(data.agents) ? data.agents : []).forEach(function (a) {
        var ok = a.available !== false;
        var label = str(a.name || a.kind, '?') + (ok ? (a.version ? ' ' + a.version : '') : ' (not installed)');
        var hint = ok ? (Array.isArray(a.command) ? a.command.join(' ') : '') : str(a.install || a.problem, '');
        select.appendChild(el('option', { value: a.kind, disabled: !ok, title: hint || null, 'data-available': ok ? 'true' : 'false' }, label));
        if (ok && first === null) first = a.kind;
        if (ok && a.kind === chosen) chosenOk = true;
      });
      if (first === null) {
        select.insertBefore(el('option', { value: '' }, 'No agent is installed'), select.firstChild);
        select.value = '';
      } else {
        select.value = chosenOk ? chosen : first;
      }
    }, function (err) {
      clearNode(select).appendChild(el('option', { value: '' }, 'Agents unavailable'));
      toast('Could not load the agents: ' + errorText(err));
    });
  }

  function loadWorkdirs() {
    return fetchJSON('/api/agent/workdirs').then(function (data) {
      var list = clearNode($('workdir-list'));
      (Array.isArray(data.dirs) ? data.dirs : []).forEach(function (dir) { list.appendChild(el('option', { value: String(dir) })); });
    }, function () { /* the list is a convenience */ });
  }

  function createSession(ev) {
    if (ev) ev.preventDefault();
    var button = $('create-session');
    if (button.disabled) return;
    var kind = $('agent-kind').value;
    if (!kind) { toast('Choose an installed agent first.'); return; }
    button.disabled = true;
    button.textContent = 'Creating…';
    button.setAttribute('aria-busy', 'true');
    sendJSON('/api/agent/sessions', {
      agent_kind: kind,
      working_directory: $('workdir').value.trim(),
      bypass_permissions: $('bypass').checked
    }).then(function (header) {
      if (!Array.isArray(header.messages)) header.messages = [];
      $('machine').value = '';
      state.page = 1;
      openSession(header, '');
      if (isLive()) $('prompt-text').focus();
      loadSessions();
      loadWorkdirs();
    }, function (err) { toast(errorText(err)); }).then(function () {
      button.disabled = false;
      button.textContent = 'Create session';
      button.removeAttribute('aria-busy');
    });
  }

  function applyVerbose() { $('conversation').classList.toggle('hide-verbose', !$('verbose').checked); }

  /* ---------- wiring ---------- */

  $('new-session-form').addEventListener('submit', createSession);
  $('verbose').addEventListener('change', applyVerbose);
  $('send').addEventListener('click', send);
  $('cancel').addEventListener('click', cancelTurn);
  $('end-session').addEventListener('click', endSession);
  $('resume-session').addEventListener('click', resumeSession);
  $('refresh-sessions').addEventListener('click', function () { loadMachines().then(loadSessions); });
  $('machine').addEventListener('change', function () { state.page = 1; loadSessions(); });
  $('per-page').addEventListener('change', function () { state.page = 1; loadSessions(); });
  $('sessions-prev').addEventListener('click', function () { if (state.page > 1) { state.page--; loadSessions(); } });
  $('sessions-next').addEventListener('click', function () { if (state.page < state.totalPages) { state.page++; loadSessions(); } });
  $('prompt-text').addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) { ev.preventDefault(); send(); }
    else if (ev.key === 'Escape') { ev.preventDefault(); cancelTurn(); }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && !$('permission-dialog').open && !isTypingTarget(ev.target)) cancelTurn();
  });
  $('permission-cancel').addEventListener('click', function () { answerPermission({ cancelled: true }); });
  /* Esc in the dialog answers "cancelled" instead of leaving the agent waiting behind a closed dialog */
  $('permission-dialog').addEventListener('cancel', function (ev) {
    ev.preventDefault();
    if (state.permissions.length) answerPermission({ cancelled: true });
  });

  applyVerbose();
  updateControls();
  loadAgents();
  loadWorkdirs();
  loadMachines().then(loadSessions);
})();
