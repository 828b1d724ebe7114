// The FinFusion Keys console: keys, their rotation timeline and usage, the audit log with the
// chain's verification, over the admin API; and a key inspector that checks a pasted key in
// the page with the WebAssembly core (the npm package, served at ./pkg/), sending nothing.
import { ready, keys } from './pkg/index.mjs';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const DAY = 86400000;
let token = sessionStorage.getItem('finfusion-admin-token') || '';
let records = [];

function showError(message) { $('error').textContent = message || ''; }

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${data.error.code}: ${data.error.message}`);
  return data;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function button(label, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.className = className;
  b.addEventListener('click', () => onClick().catch((e) => showError(e.message)));
  return b;
}

function svgEl(parent, name, attrs, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  parent.appendChild(el);
  return el;
}

async function loadKeys() {
  const [list, policy] = await Promise.all([api('GET', '/v1/api-keys'), api('GET', '/v1/policy')]);
  records = list.keys;
  const inventory = new Map(policy.keys.map((k) => [k.id, k]));
  const body = $('keys');
  body.replaceChildren();
  for (const r of records) {
    const p = inventory.get(r.id) ?? {};
    const row = body.insertRow();
    row.dataset.id = r.id;
    cell(row, r.id);
    cell(row, r.name);
    cell(row, r.type);
    cell(row, p.state ?? r.status, `state-${p.state ?? r.status}`);
    cell(row, `${p.ageDays ?? 0} d`);
    cell(row, (p.nextRotation ?? '').slice(0, 10));
    cell(row, p.rotation ?? '', `rotation-${p.rotation}`);
    const actions = row.insertCell();
    actions.append(button('Show', 'show', () => showKey(r.id)));
    if (r.status === 'active' && !r.replacedBy) {
      actions.append(button('Rotate', 'rotate', async () => {
        const rotated = await api('POST', `/v1/api-keys/${r.id}/rotate`, { gracePeriod: $('rotate-grace').value });
        showCreated(rotated.key);
        await refresh();
        await showKey(rotated.id);
      }));
    }
    if (r.status !== 'revoked') {
      actions.append(button('Revoke', 'revoke', async () => {
        await api('POST', `/v1/api-keys/${r.id}/revoke`, { reason: 'revoked from the console' });
        await refresh();
        await showKey(r.id);
      }));
    }
  }
}

async function loadAudit() {
  const [logs, chain] = await Promise.all([api('GET', '/v1/audit/logs?limit=200'), api('GET', '/v1/audit/chain')]);
  const body = $('audit');
  body.replaceChildren();
  for (const e of logs.events.slice().reverse()) {
    const row = body.insertRow();
    row.dataset.type = e.type;
    for (const value of [e.seq, e.at.replace('T', ' ').slice(0, 19), e.type, e.keyId, e.actor, e.outcome]) cell(row, String(value));
  }
  const status = $('chain-status');
  status.textContent = chain.ok ? `chain verified (${chain.checked} events, ${chain.chains} writer${chain.chains === 1 ? '' : 's'})`
    : `chain BROKEN at event ${chain.firstBad}`;
  status.className = chain.ok ? 'ok' : 'broken';
}

// The rotation chain through `id`: its predecessors and successors, oldest first.
function chainOf(id) {
  const byId = new Map(records.map((r) => [r.id, r]));
  let first = byId.get(id);
  while (first && first.replaces && byId.has(first.replaces)) first = byId.get(first.replaces);
  const chain = [];
  for (let r = first; r; r = r.replacedBy ? byId.get(r.replacedBy) : undefined) chain.push(r);
  return chain;
}

async function drawTimeline(id) {
  const chain = chainOf(id);
  const states = await Promise.all(chain.map((r) => api('GET', `/v1/api-keys/${r.id}/status`)));
  const now = Date.now();
  const end = (r) => Math.min(...[r.expiresAt, r.graceUntil, r.revokedAt].filter(Boolean).map((t) => Date.parse(t)));
  // The window shows the overlaps: from the first key's creation to a day past the last
  // grace period or revocation (a week past now at least); longer lives run off the edge.
  const start = Math.min(...chain.map((r) => Date.parse(r.createdAt)));
  const stop = Math.max(now + 7 * DAY, ...chain.flatMap((r) => [r.graceUntil, r.revokedAt].filter(Boolean).map((t) => Date.parse(t) + DAY)));
  const svg = $('timeline');
  svg.replaceChildren();
  const width = 900, left = 170, rowHeight = 26;
  svg.setAttribute('viewBox', `0 0 ${width} ${chain.length * rowHeight + 30}`);
  const x = (t) => left + ((Math.min(t, stop) - start) / (stop - start || 1)) * (width - left - 10);
  chain.forEach((r, i) => {
    const state = states[i];
    const kind = state.valid ? (state.inGrace ? 'grace' : 'valid') : 'dead';
    const y = 8 + i * rowHeight;
    svgEl(svg, 'text', { x: 4, y: y + 14 }, `v${r.version} ${r.id}`);
    const bar = svgEl(svg, 'rect', { x: x(Date.parse(r.createdAt)), y, height: 18, rx: 3,
      width: Math.max(2, x(end(r)) - x(Date.parse(r.createdAt))), class: `bar ${kind}` });
    bar.dataset.id = r.id;
    bar.dataset.state = state.code;
    svgEl(bar, 'title', {}, `${r.id}: ${state.code}${state.inGrace ? ' (in grace)' : ''}`);
  });
  svgEl(svg, 'line', { x1: x(now), x2: x(now), y1: 0, y2: chain.length * rowHeight + 8, stroke: '#b42318' });
  svgEl(svg, 'text', { x: x(now) + 3, y: chain.length * rowHeight + 24 }, 'now');
}

// Requests and errors per day as bars, and latency percentiles per day as lines.
async function drawUsage(id) {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const days = Array.from({ length: 14 }, (_, i) => new Date(today - (13 - i) * DAY).toISOString().slice(0, 10));
  const reports = (await api('GET', `/v1/api-keys/${id}/usage/daily?start=${days[0]}&end=${days[13]}&metrics=requests,errors,latency`)).days;
  const width = 900, height = 160, left = 40, bottom = 20;
  const step = (width - left) / days.length;

  const bars = $('usage-requests');
  bars.replaceChildren();
  bars.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const most = Math.max(1, ...reports.map((r) => r.requests));
  const y = (v) => height - bottom - (v / most) * (height - bottom - 10);
  svgEl(bars, 'text', { x: 2, y: 12 }, String(most));
  reports.forEach((r, i) => {
    const x0 = left + i * step;
    const req = svgEl(bars, 'rect', { x: x0 + 2, y: y(r.requests), width: step / 2 - 2, height: height - bottom - y(r.requests), fill: '#2e90fa', class: 'requests' });
    req.dataset.value = r.requests;
    svgEl(bars, 'rect', { x: x0 + step / 2, y: y(r.errors), width: step / 2 - 2, height: height - bottom - y(r.errors), fill: '#f04438', class: 'errors' });
    svgEl(bars, 'text', { x: x0 + 2, y: height - 5 }, days[i].slice(5));
  });
  svgEl(bars, 'text', { x: left + 60, y: 12 }, 'requests (blue), errors (red) per day');

  const lines = $('usage-latency');
  lines.replaceChildren();
  lines.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const slowest = Math.max(1, ...reports.map((r) => r.latency.p99Ms ?? 0));
  const ly = (v) => height - bottom - (v / slowest) * (height - bottom - 10);
  svgEl(lines, 'text', { x: 2, y: 12 }, `${slowest.toFixed(1)} ms`);
  for (const [field, colour] of [['p50Ms', '#12b76a'], ['p95Ms', '#f79009'], ['p99Ms', '#b42318']]) {
    const points = reports.map((r, i) => (r.latency[field] === null ? null : `${left + i * step + step / 2},${ly(r.latency[field])}`)).filter(Boolean);
    const line = svgEl(lines, 'polyline', { points: points.join(' '), fill: 'none', stroke: colour, 'stroke-width': 2, class: field });
    line.dataset.points = String(points.length);
    for (const p of points) {
      const [cx, cy] = p.split(',');
      svgEl(lines, 'circle', { cx, cy, r: 3, fill: colour });
    }
  }
  svgEl(lines, 'text', { x: left + 60, y: 12 }, 'latency p50 (green), p95 (orange), p99 (red) per day');
}

async function showKey(id) {
  $('detail-section').hidden = false;
  $('detail-id').textContent = id;
  await drawTimeline(id);
  await drawUsage(id);
  await loadAudit();
}

function showCreated(key) {
  $('created').hidden = false;
  $('created-key').textContent = key;
}

async function refresh() {
  showError('');
  await loadKeys();
  await loadAudit();
}

function inspect(text) {
  const out = $('inspect-result');
  const code = keys.checkFormat(text);
  if (code !== 'valid') {
    out.className = 'invalid';
    out.textContent = `rejected: ${code}`;
    return;
  }
  const parsed = keys.parse(text);
  out.className = 'valid';
  out.textContent = [`well-formed (checksum verified offline)`, `id:          ${parsed.id}`, `type:        ${parsed.type}`,
    `environment: ${parsed.environment}`, `masked:      ${keys.mask(text)}`].join('\n');
}

async function main() {
  await ready();
  $('token').value = token;
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem('finfusion-admin-token', token);
    refresh().then(() => { $('who').textContent = 'signed in'; }).catch((err) => showError(err.message));
  });
  $('refresh').addEventListener('click', () => refresh().catch((err) => showError(err.message)));
  $('create-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { name: $('create-name').value, type: $('create-type').value,
      permissions: $('create-permissions').value.split(',').map((s) => s.trim()).filter(Boolean) };
    if ($('create-expiration').value) body.expiration = $('create-expiration').value;
    api('POST', '/v1/api-keys', body)
      .then(async (created) => { showCreated(created.key); await refresh(); await showKey(created.record.id); })
      .catch((err) => showError(err.message));
  });
  $('inspect-form').addEventListener('submit', (e) => {
    e.preventDefault();
    inspect($('inspect-input').value.trim());
  });
  document.body.dataset.ready = 'true';
  if (token) refresh().catch((err) => showError(err.message));
}

main().catch((err) => showError(err.message));
