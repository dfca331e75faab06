// The devlaunch dashboard page: plain JavaScript, no framework, nothing from the network but
// this server. The token comes from the page's own URL and goes with every request.

const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** Lines the live window keeps (all services together); older ones come from the log files. */
const MAX_LIVE = 20000;
/** Lines read from a log file at a time, and the most the file window holds. */
const PAGE = 500;
const MAX_FILE = 20000;
const RUNNING = new Set(['starting', 'ready', 'stopping']);

const ui = {
  project: $('project'),
  session: $('session'),
  conn: $('conn'),
  banner: $('banner'),
  summary: $('summary'),
  tbody: document.querySelector('#services tbody'),
  filter: $('filter'),
  search: $('search'),
  follow: $('follow'),
  older: $('older'),
  live: $('live'),
  info: $('info'),
  log: $('log'),
  spacer: $('spacer'),
  lines: $('lines'),
  notice: $('notice'),
  theme: $('theme'),
};

const state = {
  services: new Map(),
  rows: new Map(),
  /** [service, text] pairs, oldest first. */
  live: [],
  dropped: 0,
  skipped: 0,
  /** Reading a log file: { service, pages: [{ start, end, lines }], size, atEnd, busy }. */
  file: null,
  view: [],
  viewDirty: true,
  drawQueued: false,
  rowHeight: 18,
};

// ---------- services table ----------

function stateClass(s) {
  if (s === 'ready' || s === 'completed') return 'ok';
  if (s === 'starting' || s === 'pending' || s === 'stopping') return 'warn';
  if (s === 'failed') return 'bad';
  return 'off';
}

function portsText(ports) {
  const entries = Object.entries(ports ?? {});
  if (entries.length === 0) return '-';
  return entries
    .sort(([a], [b]) => (a === 'primary' ? -1 : b === 'primary' ? 1 : a.localeCompare(b)))
    .map(([name, port]) => (name === 'primary' ? String(port) : `${name}=${port}`))
    .join(', ');
}

function uptime(svc) {
  if (!svc.startedAt || !RUNNING.has(svc.state)) return '-';
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(svc.startedAt)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function makeRow(name) {
  const tr = el('tr');
  tr.dataset.service = name;
  const cell = (cls, label) => {
    const td = el('td', cls);
    if (label) td.dataset.label = label;
    tr.append(td);
    return td;
  };
  const row = {
    tr,
    name: cell('name'),
    state: cell('', 'state'),
    health: cell('', 'health'),
    pid: cell('num', 'pid'),
    ports: cell('num', 'ports'),
    url: cell('', 'url'),
    uptime: cell('num', 'uptime'),
    restarts: cell('num', 'restarts'),
    exit: cell('', 'last exit'),
    actions: cell('actions'),
    link: null,
    buttons: {},
  };
  row.name.textContent = name;
  for (const action of ['restart', 'stop', 'start']) {
    const button = el('button', '', action);
    button.type = 'button';
    button.dataset.action = action;
    button.setAttribute('aria-label', `${action} ${name}`);
    button.addEventListener('click', () => act(action, name, button));
    row.buttons[action] = button;
    row.actions.append(button);
  }
  const badge = el('span', 'state');
  row.state.append(badge);
  row.badge = badge;
  return row;
}

function renderServices(session) {
  setText(ui.project, session.project);
  setText(ui.session, `session ${session.session}`);
  document.title = `${session.project} · devlaunch`;
  const seen = new Set();
  const order = [];
  for (const svc of session.services) {
    seen.add(svc.name);
    order.push(svc.name);
    state.services.set(svc.name, svc);
    let row = state.rows.get(svc.name);
    if (!row) {
      row = makeRow(svc.name);
      state.rows.set(svc.name, row);
      ui.tbody.append(row.tr);
      ui.filter.append(new Option(svc.name, svc.name));
    }
    updateRow(row, svc);
  }
  for (const [name, row] of state.rows) {
    if (!seen.has(name)) {
      row.tr.remove();
      state.rows.delete(name);
      state.services.delete(name);
    }
  }
  const counts = {};
  for (const name of order) {
    const s = state.services.get(name).state;
    counts[s] = (counts[s] ?? 0) + 1;
  }
  setText(
    ui.summary,
    Object.entries(counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(', '),
  );
}

function updateRow(row, svc) {
  row.badge.className = `state ${stateClass(svc.state)}`;
  setText(row.badge, svc.state);
  row.tr.dataset.state = svc.state;
  const ok = svc.health?.ok;
  row.health.className = `health ${ok === true ? 'ok' : ok === false ? 'bad' : ''}`;
  setText(row.health, svc.health?.text ?? '-');
  setText(row.pid, svc.pid === null ? '-' : String(svc.pid));
  setText(row.ports, portsText(svc.ports));
  if (svc.url) {
    if (!row.link || row.link.href !== new URL(svc.url).href) {
      row.link = el('a', '', svc.url);
      row.link.href = svc.url;
      row.link.target = '_blank';
      row.link.rel = 'noopener noreferrer';
      row.url.replaceChildren(row.link);
    }
  } else if (row.url.textContent !== '-') {
    row.link = null;
    row.url.replaceChildren('-');
  }
  setText(row.uptime, uptime(svc));
  setText(row.restarts, String(svc.restarts));
  setText(row.exit, svc.lastExit ?? '-');
  row.exit.className = svc.lastExit && svc.state === 'failed' ? 'exit bad' : 'exit';
  const running = RUNNING.has(svc.state) || svc.state === 'pending';
  row.buttons.restart.disabled = svc.state === 'stopping';
  row.buttons.stop.disabled = !running || svc.state === 'stopping';
  row.buttons.start.disabled = running;
}

async function act(action, name, button) {
  button.disabled = true;
  try {
    const res = await fetch(`/api/services/${encodeURIComponent(name)}/${action}`, {
      method: 'POST',
      headers: { 'X-Devlaunch-Token': token },
    });
    if (!res.ok) notice(`${action} ${name}: ${(await res.text()).trim()}`);
    else notice(`${action} ${name}: requested`);
  } catch (error) {
    notice(`${action} ${name}: ${error.message}`);
  }
}

let noticeTimer = 0;
function notice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    ui.notice.hidden = true;
  }, 4000);
}

// ---------- ANSI colours ----------

const SGR = /\x1b\[([0-9;]*)m|\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

function xterm256(n) {
  if (n < 16) return `var(--ansi-${n})`;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const c = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${c(Math.floor(i / 36))},${c(Math.floor(i / 6) % 6)},${c(i % 6)})`;
}

/** Applies one SGR parameter list to the current style. */
function applySgr(style, params) {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) {
      style.fg = null;
      style.bg = null;
      style.cls = new Set();
    } else if (code === 1) style.cls.add('b');
    else if (code === 2) style.cls.add('d');
    else if (code === 3) style.cls.add('i');
    else if (code === 4) style.cls.add('u');
    else if (code === 9) style.cls.add('s');
    else if (code === 22) {
      style.cls.delete('b');
      style.cls.delete('d');
    } else if (code === 23) style.cls.delete('i');
    else if (code === 24) style.cls.delete('u');
    else if (code === 29) style.cls.delete('s');
    else if (code >= 30 && code <= 37) style.fg = `var(--ansi-${code - 30})`;
    else if (code >= 90 && code <= 97) style.fg = `var(--ansi-${code - 82})`;
    else if (code >= 40 && code <= 47) style.bg = `var(--ansi-${code - 40})`;
    else if (code >= 100 && code <= 107) style.bg = `var(--ansi-${code - 92})`;
    else if (code === 39) style.fg = null;
    else if (code === 49) style.bg = null;
    else if (code === 38 || code === 48) {
      let color = null;
      if (codes[i + 1] === 5) {
        color = xterm256(codes[i + 2] ?? 0);
        i += 2;
      } else if (codes[i + 1] === 2) {
        color = `rgb(${codes[i + 2] ?? 0},${codes[i + 3] ?? 0},${codes[i + 4] ?? 0})`;
        i += 4;
      }
      if (code === 38) style.fg = color;
      else style.bg = color;
    }
  }
}

/** The line as DOM nodes: coloured spans, search matches marked. Text only, never HTML. */
function renderAnsi(text, needle, into) {
  const style = { fg: null, bg: null, cls: new Set() };
  let last = 0;
  const emit = (part) => {
    if (part === '') return;
    const plain = style.fg === null && style.bg === null && style.cls.size === 0;
    const target = plain ? into : el('span', [...style.cls].join(' '));
    if (!plain) {
      // CSSOM, not a style attribute: allowed by the page's Content-Security-Policy.
      if (style.fg) target.style.color = style.fg;
      if (style.bg) target.style.backgroundColor = style.bg;
      into.append(target);
    }
    appendMarked(target, part, needle);
  };
  SGR.lastIndex = 0;
  for (let m = SGR.exec(text); m !== null; m = SGR.exec(text)) {
    emit(text.slice(last, m.index));
    if (m[1] !== undefined) applySgr(style, m[1]);
    last = SGR.lastIndex;
  }
  emit(text.slice(last));
}

function appendMarked(target, part, needle) {
  if (!needle) {
    target.append(part);
    return;
  }
  const lower = part.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, at)) {
    target.append(part.slice(at, i), el('mark', '', part.slice(i, i + needle.length)));
    at = i + needle.length;
  }
  target.append(part.slice(at));
}

const stripAnsi = (text) => text.replace(SGR, '');

// ---------- output ----------

const hues = new Map();
function serviceColor(name) {
  let color = hues.get(name);
  if (!color) {
    const index = [...state.services.keys()].indexOf(name);
    color = `var(--ansi-${[4, 2, 5, 6, 3, 1, 12, 10, 13, 14, 11, 9][Math.max(0, index) % 12]})`;
    hues.set(name, color);
  }
  return color;
}

function fileLines() {
  const f = state.file;
  return f ? f.pages.flatMap((p) => p.lines.map((text) => [f.service, text])) : [];
}

function computeView() {
  const service = ui.filter.value;
  const needle = ui.search.value.toLowerCase();
  let lines = state.file ? fileLines() : state.live;
  if (service && !state.file) lines = lines.filter((l) => l[0] === service);
  if (needle) lines = lines.filter((l) => stripAnsi(l[1]).toLowerCase().includes(needle));
  state.view = lines;
  state.viewDirty = false;
  const where = state.file
    ? `${state.file.service}.log, ${lines.length} lines read (bytes ${state.file.pages[0]?.start ?? 0}–${state.file.pages.at(-1)?.end ?? 0} of ${state.file.size})`
    : `${lines.length} lines${state.dropped > 0 ? `; ${state.dropped} older lines left the window (choose a service and read older lines)` : ''}`;
  const skipped =
    state.skipped > 0 ? `; ${state.skipped} lines skipped while the page was behind` : '';
  setText(ui.info, where + skipped);
}

function queueDraw() {
  if (state.drawQueued) return;
  state.drawQueued = true;
  requestAnimationFrame(draw);
}

function draw() {
  state.drawQueued = false;
  if (state.viewDirty) computeView();
  const total = state.view.length;
  const h = state.rowHeight;
  ui.spacer.style.height = `${total * h}px`;
  if (ui.follow.checked && !state.file) ui.log.scrollTop = ui.log.scrollHeight;
  const first = Math.max(0, Math.floor(ui.log.scrollTop / h) - 10);
  const count = Math.ceil(ui.log.clientHeight / h) + 20;
  const needle = ui.search.value.toLowerCase();
  const all = !ui.filter.value || state.file;
  const frag = document.createDocumentFragment();
  for (let i = first; i < Math.min(total, first + count); i++) {
    const [service, text] = state.view[i];
    const line = el('div', 'line');
    if (all) {
      const who = el('span', 'who', service);
      who.style.color = serviceColor(service);
      line.append(who);
    }
    renderAnsi(text, needle, line);
    frag.append(line);
  }
  ui.lines.style.top = `${first * h}px`;
  ui.lines.replaceChildren(frag);
  ui.older.disabled = !ui.filter.value || state.file?.busy || state.file?.pages[0]?.start === 0;
  ui.live.hidden = !state.file;
}

function addLines(lines) {
  if (lines.length === 0) return;
  for (const line of lines) state.live.push(line);
  if (state.live.length > MAX_LIVE * 1.1) {
    const drop = state.live.length - MAX_LIVE;
    state.live.splice(0, drop);
    state.dropped += drop;
  }
  if (!state.file) {
    state.viewDirty = true;
    queueDraw();
  }
}

// ---------- reading the log files ----------

async function readLog(service, query) {
  const res = await fetch(`/api/logs?service=${encodeURIComponent(service)}&${query}`, {
    headers: { 'X-Devlaunch-Token': token },
  });
  if (!res.ok) throw new Error((await res.text()).trim());
  return res.json();
}

async function loadOlder() {
  const service = ui.filter.value;
  if (!service) return;
  const f = state.file;
  if (f?.busy || f?.pages[0]?.start === 0) return;
  ui.follow.checked = false;
  try {
    if (!f) {
      // The file's tail holds the lines on screen and a page more.
      const shown = state.live.filter((l) => l[0] === service).length;
      const page = await readLog(service, `limit=${Math.min(2000, shown + PAGE)}`);
      state.file = { service, pages: [page], size: page.size, busy: false };
      state.viewDirty = true;
      computeView();
      ui.log.scrollTop = Math.max(0, page.lines.length - shown) * state.rowHeight;
    } else {
      f.busy = true;
      const page = await readLog(service, `before=${f.pages[0].start}&limit=${PAGE}`);
      f.busy = false;
      if (state.file !== f) return;
      f.pages.unshift(page);
      f.size = Math.max(f.size, page.size);
      while (f.pages.reduce((n, p) => n + p.lines.length, 0) > MAX_FILE) f.pages.pop();
      state.viewDirty = true;
      computeView();
      ui.log.scrollTop += page.lines.length * state.rowHeight;
    }
  } catch (error) {
    if (f) f.busy = false;
    notice(`older lines: ${error.message}`);
  }
  queueDraw();
}

async function loadNewer() {
  const f = state.file;
  const last = f?.pages.at(-1);
  if (!f || !last || f.busy) return;
  f.busy = true;
  try {
    const page = await readLog(f.service, `after=${last.end}&limit=${PAGE}`);
    f.busy = false;
    if (state.file !== f || page.lines.length === 0) return;
    f.pages.push(page);
    f.size = Math.max(f.size, page.size);
    while (f.pages.reduce((n, p) => n + p.lines.length, 0) > MAX_FILE) {
      const gone = f.pages.shift();
      ui.log.scrollTop -= gone.lines.length * state.rowHeight;
    }
    state.viewDirty = true;
    queueDraw();
  } catch (error) {
    f.busy = false;
    notice(`newer lines: ${error.message}`);
  }
}

function backToLive() {
  state.file = null;
  ui.follow.checked = true;
  state.viewDirty = true;
  queueDraw();
}

// ---------- live events ----------

function connect() {
  const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  source.addEventListener('hello', (e) => {
    const hello = JSON.parse(e.data);
    ui.conn.textContent = 'live';
    ui.conn.className = 'conn live';
    ui.banner.hidden = true;
    renderServices(hello.snapshot);
    state.live = [];
    state.dropped = 0;
    addLines(hello.lines);
    state.viewDirty = true;
    queueDraw();
  });
  source.addEventListener('snapshot', (e) => renderServices(JSON.parse(e.data)));
  source.addEventListener('lines', (e) => {
    const batch = JSON.parse(e.data);
    state.skipped += batch.skipped;
    addLines(batch.lines);
  });
  source.addEventListener('stopping', () => {
    ui.banner.textContent = 'The session is stopping.';
    ui.banner.hidden = false;
  });
  source.addEventListener('error', () => {
    ui.conn.textContent = 'disconnected: retrying';
    ui.conn.className = 'conn down';
  });
}

// ---------- controls ----------

function setTheme(theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  ui.theme.textContent = `theme: ${theme}`;
  try {
    localStorage.setItem('devlaunch-theme', theme);
  } catch {}
}

function init() {
  const probe = el('div', 'line', 'x');
  ui.lines.append(probe);
  state.rowHeight = probe.getBoundingClientRect().height || 18;
  probe.remove();
  let theme = 'auto';
  try {
    theme = localStorage.getItem('devlaunch-theme') ?? 'auto';
  } catch {}
  setTheme(theme);
  ui.theme.addEventListener('click', () => {
    const next = { auto: 'light', light: 'dark', dark: 'auto' };
    setTheme(next[document.documentElement.dataset.theme ?? 'auto'] ?? 'auto');
  });
  const refresh = () => {
    state.viewDirty = true;
    queueDraw();
  };
  ui.filter.addEventListener('change', () => {
    state.file = null;
    refresh();
  });
  ui.search.addEventListener('input', refresh);
  ui.follow.addEventListener('change', () => {
    if (ui.follow.checked && state.file) backToLive();
    else queueDraw();
  });
  ui.older.addEventListener('click', loadOlder);
  ui.live.addEventListener('click', backToLive);
  ui.log.addEventListener('scroll', () => {
    const atBottom = ui.log.scrollTop + ui.log.clientHeight >= ui.log.scrollHeight - 4;
    if (!state.file && ui.follow.checked !== atBottom) ui.follow.checked = atBottom;
    if (state.file && ui.log.scrollTop < state.rowHeight * 20) loadOlder();
    if (state.file && atBottom) loadNewer();
    queueDraw();
  });
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (e.key === 'Escape' && e.target === ui.search) {
      ui.search.value = '';
      refresh();
    } else if (typing || e.ctrlKey || e.metaKey || e.altKey) {
      return;
    } else if (e.key === '/') {
      e.preventDefault();
      ui.search.focus();
    } else if (e.key === 'f') {
      ui.follow.checked = !ui.follow.checked;
      ui.follow.dispatchEvent(new Event('change'));
    } else if (e.key === 't') {
      ui.theme.click();
    }
  });
  setInterval(() => {
    for (const [name, row] of state.rows) setText(row.uptime, uptime(state.services.get(name)));
  }, 1000);
  window.addEventListener('resize', queueDraw);
  connect();
}

init();
