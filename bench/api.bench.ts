/**
 * `npm run bench:api` — an authenticated, tenant-scoped GET (/api/user/preferences: JWT check,
 * role guard, tenant-scoped read) against a bare Fastify route returning similar JSON, in the same
 * run: autocannon, 100 connections, 10 s after a 3 s warm-up; then the authenticated route at 60%
 * of its own maximum, for latency under normal load. On PGlite, and on PostgreSQL when DATABASE_URL
 * is set. Figures are printed, not asserted (targets: ≥ 50% of bare; p99 ≤ 10 ms at 60% load).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const DURATION = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP = 3;
const CONNECTIONS = 100;

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, opts: { duration: number; token?: string; overallRate?: number }): Promise<Run> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: opts.duration,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function startServers(kind: string): Promise<{ bareUrl: string; apiUrl: string; token: string; stop(): void }> {
  const child = spawn('node_modules/.bin/tsx', ['bench/api-servers.ts', kind], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  const rl = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
  });
  return { ...JSON.parse(first), stop: () => child.kill('SIGTERM') };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function benchOne(kind: string) {
  console.log(`\n== ${kind}: starting platform-service, backend and a bare Fastify server in a child process`);
  const s = await startServers(kind);
  try {
    console.log(`warm-up ${WARMUP}s each…`);
    await load(s.bareUrl, { duration: WARMUP });
    await load(s.apiUrl, { duration: WARMUP, token: s.token });
    const bare = await load(s.bareUrl, { duration: DURATION });
    const api = await load(s.apiUrl, { duration: DURATION, token: s.token });
    const rate = Math.max(1, Math.floor(api.rps * 0.6));
    const steady = await load(s.apiUrl, { duration: DURATION, token: s.token, overallRate: rate });
    // The same paced load on the bare route: what the machine and the load generator alone add to p99.
    const bareSteady = await load(s.bareUrl, { duration: DURATION, overallRate: rate });
    const ratio = api.rps / bare.rps;
    console.log(`
  route                                   req/s      p50 ms  p99 ms  errors/non-2xx
  bare Fastify GET                        ${fmt(bare.rps).padStart(8)}   ${String(bare.p50).padStart(6)}  ${String(bare.p99).padStart(6)}  ${bare.errors}/${bare.non2xx}
  GET /api/user/preferences (auth)        ${fmt(api.rps).padStart(8)}   ${String(api.p50).padStart(6)}  ${String(api.p99).padStart(6)}  ${api.errors}/${api.non2xx}
  auth route at ${fmt(rate)} req/s (60%)    ${fmt(steady.rps).padStart(8)}   ${String(steady.p50).padStart(6)}  ${String(steady.p99).padStart(6)}  ${steady.errors}/${steady.non2xx}
  bare route at ${fmt(rate)} req/s (control) ${fmt(bareSteady.rps).padStart(8)}   ${String(bareSteady.p50).padStart(6)}  ${String(bareSteady.p99).padStart(6)}  ${bareSteady.errors}/${bareSteady.non2xx}

  ratio authenticated / bare: ${(ratio * 100).toFixed(1)}%  (target ≥ 50%: ${ratio >= 0.5 ? 'met' : 'NOT met'})
  p99 at 60% load: ${steady.p99} ms  (target ≤ 10 ms: ${steady.p99 <= 10 ? 'met' : 'NOT met'}; the bare route under the same load: ${bareSteady.p99} ms)`);
    if (api.non2xx > 0 || api.errors > 0) console.log('  WARNING: the authenticated route answered errors; figures are not comparable.');
  } finally {
    s.stop();
  }
}

await benchOne('pglite');
if (process.env.DATABASE_URL) await benchOne('postgres');
