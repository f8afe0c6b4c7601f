// Shared pieces of the API tests: the expected role → permission table (our own copy of
// docs/API.md, deliberately independent of the server's), the demo users per role, the route
// table from `tiaodu routes`, and small helpers to look up units/users and snapshot state.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import assert from 'node:assert/strict';
import { BIN, Client, loginAs, startServer as startBareServer, DEMO_PASSWORD, ADMIN_PASSWORD, dbKind } from '../lib/server.mjs';

export { BIN, Client, loginAs, DEMO_PASSWORD, ADMIN_PASSWORD, dbKind };

// Starts the server (tests/lib/server.mjs) and, with the demo loaded, waits for its start-up
// jobs: `serve` answers /health before its job thread has refreshed the key projects and
// escalated the demo's overdue problems, and the escalations append audit rows — tests that
// count audit rows around one request would see them. Done when every open problem past its
// deadline has been escalated (the escalation and its audit row are one transaction).
export async function startServer(options = {}) {
  const server = await startBareServer(options);
  if (options.demo === false) return server;
  try {
    const watcher = await loginAs(server.url, 'project');
    for (let i = 0; i < 200; i++) {
      const r = await watcher.get('/api/v1/projects/problems?overdue=1&page_size=500');
      if (r.status !== 200 || r.json.items.every((x) => x.escalated_to)) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    await watcher.post('/api/v1/auth/logout', {});
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

// docs/API.md "Roles" — the expectation. Do not import this from the server.
export const ROLE_PERMISSIONS = {
  leader: ['unit.read', 'indicator.read', 'project.read', 'investment.read', 'task.read', 'assessment.read', 'factcheck.use', 'benefit.read', 'benefit.approve'],
  statistician: ['unit.read', 'indicator.read', 'indicator.write', 'indicator.approve', 'assessment.read', 'factcheck.use'],
  project_office: ['unit.read', 'project.read', 'project.write', 'project.manage', 'assessment.read', 'factcheck.use'],
  investment_officer: ['unit.read', 'project.read', 'investment.read', 'investment.write', 'assessment.read', 'factcheck.use', 'benefit.read', 'benefit.manage'],
  supervisor: ['unit.read', 'task.read', 'task.write', 'task.assign', 'assessment.read', 'assessment.manage', 'factcheck.use'],
  reporter: ['unit.read', 'indicator.read', 'indicator.write', 'project.read', 'project.report', 'task.read', 'task.report', 'factcheck.use'],
  sys_admin: ['unit.read', 'unit.write', 'user.read', 'user.write'],
  security_admin: ['unit.read', 'user.read', 'user.role', 'user.unlock'],
  audit_admin: ['audit.read'],
};
export const ADMIN_ROLES = ['sys_admin', 'security_admin', 'audit_admin'];
export const ALL_PERMISSIONS = [...new Set(Object.values(ROLE_PERMISSIONS).flat())];

// One demo user per role at city level, plus 宛城区-scoped users where the demo has them.
export const CITY_USERS = {
  leader: 'leader', statistician: 'stat', project_office: 'project', investment_officer: 'invest',
  supervisor: 'supervisor', reporter: 'reporter_town', sys_admin: 'admin',
  security_admin: 'secadmin', audit_admin: 'auditor',
};
export const DISTRICT_USERS = { leader: 'leader_wancheng', statistician: 'stat_wancheng', sys_admin: 'sysadmin_wancheng' };
export const DEMO_USER_ROLE = {
  leader: 'leader', leader_wancheng: 'leader', stat: 'statistician', stat_wancheng: 'statistician',
  project: 'project_office', invest: 'investment_officer', invest_wolong: 'investment_officer', supervisor: 'supervisor',
  reporter_town: 'reporter', reporter_fgw: 'reporter', reporter_wancheng: 'reporter',
  supervisor_wancheng: 'supervisor', sysadmin_wancheng: 'sys_admin', secadmin: 'security_admin',
  auditor: 'audit_admin', admin: 'sys_admin',
};

export const STRONG_PASSWORD = 'Strong#Pass2024';
export const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The server's own route table; fails loudly if it is empty.
export function loadRoutes() {
  const out = execFileSync(BIN, ['routes'], { encoding: 'utf8' });
  const routes = JSON.parse(out);
  assert.ok(Array.isArray(routes) && routes.length > 0, '`tiaodu routes` returned no routes');
  return routes;
}

export function roleHas(role, permission) { return ROLE_PERMISSIONS[role].includes(permission); }

// Logs in several users in parallel; returns { username: Client }.
export async function loginMany(url, usernames) {
  const entries = await Promise.all(usernames.map(async (u) => [u, await loginAs(url, u)]));
  return Object.fromEntries(entries);
}

// Reads every page of a list endpoint and returns all items.
export async function listAll(client, path) {
  const sep = path.includes('?') ? '&' : '?';
  const items = [];
  for (let page = 1; page < 1000; page++) {
    const r = await client.get(`${path}${sep}page=${page}&page_size=500`);
    assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text}`);
    items.push(...r.json.items);
    if (items.length >= r.json.total || r.json.items.length === 0) break;
  }
  return items;
}

// Units by code and by name (as the city-level admin sees them, archived included).
export async function unitIndex(admin) {
  const units = await listAll(admin, '/api/v1/units?include_archived=1');
  const byCode = Object.fromEntries(units.map((u) => [u.code, u]));
  const byId = Object.fromEntries(units.map((u) => [u.id, u]));
  return { units, byCode, byId };
}

// Ids of the subtree of `rootId` (itself included) computed from a flat unit list.
export function subtreeIds(units, rootId) {
  const kids = new Map();
  for (const u of units) {
    if (u.parent_id == null) continue;
    if (!kids.has(u.parent_id)) kids.set(u.parent_id, []);
    kids.get(u.parent_id).push(u.id);
  }
  const out = new Set([rootId]);
  const stack = [rootId];
  while (stack.length) for (const k of kids.get(stack.pop()) || []) if (!out.has(k)) { out.add(k); stack.push(k); }
  return out;
}

export async function userIndex(admin) {
  const users = await listAll(admin, '/api/v1/users');
  return { users, byName: Object.fromEntries(users.map((u) => [u.username, u])) };
}

export async function auditTotal(auditor) {
  const r = await auditor.get('/api/v1/audit?page_size=1');
  assert.equal(r.status, 200, `GET /audit: ${r.status} ${r.text}`);
  return r.json.total;
}

// State that must not change when requests are refused: every unit and user (full JSON) and the
// number of audit rows.
export async function snapshot(admin, auditor) {
  return {
    units: JSON.stringify(await listAll(admin, '/api/v1/units?include_archived=1')),
    users: JSON.stringify(await listAll(admin, '/api/v1/users')),
    audit: await auditTotal(auditor),
  };
}

export function assertSnapshotEqual(before, after, what) {
  assert.equal(after.audit, before.audit, `${what}: audit rows were written (${before.audit} → ${after.audit})`);
  assert.equal(after.units, before.units, `${what}: the unit list changed`);
  assert.equal(after.users, before.users, `${what}: the user list changed`);
}

// Asserts the error format {"error":{"code","message","details"}}.
export function assertErrorFormat(r, what) {
  assert.ok(r.json && typeof r.json === 'object' && r.json.error, `${what}: not an error JSON: ${r.status} ${r.text}`);
  const e = r.json.error;
  assert.equal(typeof e.code, 'string', `${what}: error.code`);
  assert.equal(typeof e.message, 'string', `${what}: error.message`);
  assert.ok(e.message.length > 0, `${what}: empty error.message`);
  assert.ok(Array.isArray(e.details), `${what}: error.details should be an array`);
}

export function fillPath(path, id) { return path.replace(/\{[a-z_]+\}/g, String(id)); }

// Raw HTTP over a socket (for requests fetch refuses to send: huge headers, bad framing).
export async function rawRequest(url, text) {
  const { connect } = await import('node:net');
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(u.port), u.hostname);
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => resolve(data));
    sock.on('close', () => resolve(data));
    sock.on('error', (e) => (data ? resolve(data) : reject(e)));
    sock.setTimeout(5000, () => { sock.destroy(); resolve(data); });
    sock.write(text);
  });
}

// A request whose answer may be a file: the raw bytes, plus the JSON when the answer is JSON
// (an error), and the start of the text for messages. Shared by the Excel import tests.
async function bytesOf(res, textLimit) {
  const buf = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* a workbook */ }
  return { status: res.status, headers: res.headers, buf, json, text: buf.toString('utf8').slice(0, textLimit) };
}
// GET url as the client: the raw bytes.
export async function getBytes(client, url) {
  return bytesOf(await fetch(url, { headers: { cookie: client.cookie } }), 800);
}
// POST buf as the raw body to url, as the client (with its CSRF token): the raw bytes back.
export async function postBytes(client, url, buf) {
  const res = await fetch(url, {
    method: 'POST', body: buf,
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': 'application/octet-stream' },
  });
  return bytesOf(res, 1500);
}

// ---- Official documents (.docx) as LibreOffice lays them out ----
// A fontconfig file under `dir` mapping the 公文 font names to Noto CJK, as a server renders
// them (DESIGN 4.5).
export function officeFontConfig(dir) {
  const file = join(dir, 'fonts.conf');
  const alias = (from, to) =>
    `<alias binding="same"><family>${from}</family><prefer><family>${to}</family></prefer></alias>`;
  writeFileSync(file, `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
<include ignore_missing="yes">/etc/fonts/fonts.conf</include>
${alias('方正小标宋简体', 'Noto Serif CJK SC')}${alias('仿宋_GB2312', 'Noto Serif CJK SC')}
${alias('楷体_GB2312', 'Noto Serif CJK SC')}${alias('黑体', 'Noto Sans CJK SC')}</fontconfig>`);
  return file;
}
// Converts the .docx at `docx` to a PDF in `dir` with headless LibreOffice (its profile kept in
// `dir`); returns the PDF's path.
export function docxToPdf(docx, dir) {
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
    '--convert-to', 'pdf', '--outdir', dir, docx],
  { env: { ...process.env, FONTCONFIG_FILE: officeFontConfig(dir) }, stdio: 'pipe', timeout: 180000 });
  return join(dir, `${basename(docx, '.docx')}.pdf`);
}
