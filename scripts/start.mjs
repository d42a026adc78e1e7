#!/usr/bin/env node
// `npm start`: the whole platform on the embedded default. Installs dependencies when needed,
// starts platform-service (:4003) then the backend (:4018), each of which applies its migrations
// at boot (platform-service seeds the demo tenant on first run), waits until both are healthy,
// prints the URLs and demo logins, and stops both cleanly on Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';
import { formatLogLine } from './log-format.mjs';
import { buildWebIfStale, webDistDir } from './web-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const t0 = Date.now();

ensureDeps();
if (existsSync(join(root, '.env'))) {
  process.loadEnvFile(join(root, '.env'));
  console.log('[kestrel] read settings from .env');
}
const env = { ...process.env };
const platformPort = env.PLATFORM_PORT ?? '4003';
const backendPort = env.BACKEND_PORT ?? '4018';
env.PLATFORM_URL ??= `http://127.0.0.1:${platformPort}`;
env.JWT_ISSUER ??= `http://localhost:${platformPort}`;
const dbLabel = env.DATABASE_URL
  ? `PostgreSQL (${new URL(env.DATABASE_URL).host}${new URL(env.DATABASE_URL).pathname})`
  : `embedded PGlite in ${env.PLATFORM_DATA_DIR ?? '.data/platform'} and ${env.BACKEND_DATA_DIR ?? '.data/backend'}`;
console.log(`[kestrel] starting Kestrel on ${dbLabel}${watch ? ' in watch mode' : ''}`);

// The backend serves apps/web/dist at http://localhost:<BACKEND_PORT>: built here when missing or stale.
if (env.SERVE_WEB !== 'false' && !buildWebIfStale()) {
  console.error('[kestrel] the web dashboard failed to build (see above): the API starts without it. Fix the error, then run npm start again (or npm run build -w apps/web).');
}
const webReady = env.SERVE_WEB !== 'false' && existsSync(join(webDistDir, 'index.html'));

const tsx = join(root, 'node_modules', '.bin', 'tsx');
const children = [];
const started = Date.now();

function run(name, entry) {
  const args = watch ? ['watch', '--clear-screen=false', entry] : [entry];
  const child = spawn(tsx, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pipe = (stream, out) => {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.trim()) out.write(formatLogLine(name, line) + '\n');
      }
    });
  };
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[kestrel] ${name} exited (${signal ?? code}); stopping. See its last lines above and docs/TROUBLESHOOTING_GUIDE.md.`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitHealthy(name, url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) {
    console.error(`[kestrel] ${name} did not become healthy at ${url} within ${timeoutMs / 1000}s; see its log above.`);
    stop(1);
  }
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('[kestrel] stopping…');
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(code);
  let left = alive.length;
  for (const c of alive) {
    c.once('exit', () => {
      if (--left === 0) {
        console.log('[kestrel] stopped.');
        process.exit(code);
      }
    });
    c.kill('SIGTERM');
  }
  setTimeout(() => {
    for (const c of alive) c.kill('SIGKILL');
    process.exit(code || 1);
  }, 10_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// Both boot (and migrate) in parallel; the backend is ready once platform-service's JWKS answers.
run('platform', 'apps/platform-service/src/server.ts');
run('backend', 'apps/backend/src/server.ts');
await Promise.all([
  waitHealthy('platform-service', `http://127.0.0.1:${platformPort}/health`),
  waitHealthy('backend', `http://127.0.0.1:${backendPort}/health/ready`),
]);
if (!stopping) {
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
[kestrel] Kestrel is up (healthy ${secs}s after start${started - t0 > 1000 ? `, plus ${((started - t0) / 1000).toFixed(1)}s installing` : ''}).

${webReady ? `  Dashboard       http://localhost:${backendPort}        (sign in with a demo login below)\n` : ''}  Backend API     http://localhost:${backendPort}/api    (API docs: http://localhost:${backendPort}/docs)
  Platform/auth   http://localhost:${platformPort}        (login: POST /auth/login)
  Health          http://localhost:${backendPort}/health/ready   http://localhost:${platformPort}/health

  Demo logins (tenant "demo"):
    admin     / kestrel-admin-demo
    trader    / kestrel-trader-demo
    viewer    / kestrel-viewer-demo
    operator  / kestrel-operator-demo   (platform operator)

  Try:  curl -s -X POST localhost:${platformPort}/auth/login -H 'content-type: application/json' \\
          -d '{"username":"trader","password":"kestrel-trader-demo"}'
        then GET /api/profiles (the running "Demo BTC bot"), /api/orders, /api/positions with the token.
  Paper market: real BTC/USDT 5-minute candles replayed as a live market at ${env.PAPER_REPLAY_SPEED ?? 300}× (PAPER_REPLAY_SPEED).

  Press Ctrl-C to stop.
`);
}
