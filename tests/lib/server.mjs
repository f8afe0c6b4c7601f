// Starts a real `tiaodu serve` for API and browser tests: a fresh database (SQLite in a temp
// dir, or the PostgreSQL named by TIAODU_TEST_PG_URL when db === 'postgresql'), `init` and
// `demo` with known passwords, a free loopback port. Returns { url, db, stop() }.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.TIAODU_BIN || join(root, 'build', 'tiaodu');
export const ADMIN_PASSWORD = process.env.TIAODU_ADMIN_PASSWORD || 'Admin#2024pass';
export const DEMO_PASSWORD = process.env.TIAODU_DEMO_PASSWORD || 'Demo#2024pass';

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

// Which database the suite runs on: TIAODU_TEST_DB=postgresql uses the cluster that
// pg_virtualenv set up (PG* variables); anything else uses SQLite.
export function dbKind() { return process.env.TIAODU_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite'; }

let pgCounter = 0;
function freshDbUrl() {
  if (dbKind() === 'postgresql') {
    const name = `tiaodu_t${process.pid}_${++pgCounter}_${Date.now() % 100000}`;
    execFileSync('createdb', [name], { stdio: 'inherit' });
    const { PGHOST = 'localhost', PGPORT = '5432', PGUSER = 'postgres', PGPASSWORD = '' } = process.env;
    const host = PGHOST.startsWith('/') ? `localhost` : PGHOST;
    return { url: `postgresql://${encodeURIComponent(PGUSER)}:${encodeURIComponent(PGPASSWORD)}@${host}:${PGPORT}/${name}`, cleanup: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'tiaodu-test-'));
  return { url: `sqlite:${join(dir, 'tiaodu.db')}`, file: join(dir, 'tiaodu.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startServer({ demo = true, extraArgs = [], env = {} } = {}) {
  const db = freshDbUrl();
  const childEnv = { ...process.env, TIAODU_ADMIN_PASSWORD: ADMIN_PASSWORD, TIAODU_DEMO_PASSWORD: DEMO_PASSWORD, ...env };
  execFileSync(BIN, ['init', '--db', db.url], { env: childEnv, stdio: 'pipe' });
  if (demo) execFileSync(BIN, ['demo', '--db', db.url], { env: childEnv, stdio: 'pipe' });
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', db.url, '--listen', `127.0.0.1:${port}`,
    '--web-root', join(root, 'web', 'dist'), ...extraArgs], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`tiaodu serve exited: ${stderr}`);
    try { const r = await fetch(`${url}/api/v1/health`); if (r.ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, db: db.url, dbFile: db.file, proc,
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      db.cleanup();
    },
  };
}

// A tiny HTTP client that keeps the session cookie and CSRF token of one user.
export class Client {
  constructor(url) { this.url = url; this.cookie = ''; this.csrf = ''; }
  async request(method, path, body, { headers = {}, raw = false } = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && method !== 'HEAD') h['x-csrf-token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      payload = raw ? body : JSON.stringify(body);
      if (!h['content-type']) h['content-type'] = 'application/json';
    }
    const res = await fetch(this.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /tiaodu_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `tiaodu_session=${m[1]}` : '';
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, json, text };
  }
  get(p, o) { return this.request('GET', p, undefined, o); }
  post(p, b = {}, o) { return this.request('POST', p, b, o); }
  put(p, b = {}, o) { return this.request('PUT', p, b, o); }
  del(p, b, o) { return this.request('DELETE', p, b, o); }
  async login(username, password) {
    const r = await this.post('/api/v1/auth/login', { username, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}

export async function loginAs(url, username, password = username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD) {
  const c = new Client(url);
  const r = await c.login(username, password);
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
  return c;
}
