import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWebIfStale } from '../../../../scripts/web-build.mjs';

/** The repository root. */
export const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

/** The product as `npm start` runs it, on a fresh embedded database and free ports. */
export interface Kestrel {
  /** The backend: dashboard, REST API and sockets, e.g. http://127.0.0.1:43121 */
  url: string;
  platformUrl: string;
  close(): Promise<void>;
}

/** How long both services may take to migrate, seed and answer their health checks. */
const HEALTHY_WITHIN_MS = 120_000;

/**
 * Starts Kestrel exactly as `npm start` does — the same built dashboard (rebuilt when stale, with
 * npm start's own helper), platform-service and backend as separate processes run by tsx, the
 * paper market, the demo tenant and its running demo bot — but on a fresh PGlite folder in a temp
 * directory and on free ports, so it never touches `.data/` or a running `npm start`. Every Kestrel
 * setting the caller's environment carries (those of .env.example: DATABASE_URL, REDIS_URL, ports…)
 * is dropped first: CI exports DATABASE_URL for the database tests, and this must stay the embedded
 * default. Each service's log goes to `<logDir>/<service>.log`.
 */
export async function startKestrel(opts: { inheritedEnv: NodeJS.ProcessEnv; logDir: string }): Promise<Kestrel> {
  if (!buildWebIfStale()) throw new Error('The web dashboard failed to build (vite printed why above): fix it, then run the browser tests again.');
  const dataDir = mkdtempSync(join(tmpdir(), 'kestrel-e2e-'));
  const [platformPort, backendPort] = await freePorts(2);
  const platformUrl = `http://127.0.0.1:${platformPort}`;
  const url = `http://127.0.0.1:${backendPort}`;
  const env: NodeJS.ProcessEnv = {
    ...withoutKestrelSettings(opts.inheritedEnv),
    PLATFORM_PORT: String(platformPort),
    BACKEND_PORT: String(backendPort),
    PLATFORM_DATA_DIR: join(dataDir, 'platform'),
    BACKEND_DATA_DIR: join(dataDir, 'backend'),
    // As scripts/start.mjs derives them from the ports.
    PLATFORM_URL: platformUrl,
    JWT_ISSUER: `http://localhost:${platformPort}`,
  };
  const services = [
    new Service('platform', 'apps/platform-service/src/server.ts', env, opts.logDir),
    new Service('backend', 'apps/backend/src/server.ts', env, opts.logDir),
  ];
  const close = async () => {
    await Promise.all(services.map((s) => s.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all([services[0]!.waitHealthy(`${platformUrl}/health`), services[1]!.waitHealthy(`${url}/health/ready`)]);
  } catch (err) {
    await close();
    throw err;
  }
  return { url, platformUrl, close };
}

/** The inherited environment minus every Kestrel setting (the names .env.example lists). */
function withoutKestrelSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const names = new Set([...readFileSync(join(repoRoot, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  // npm test sets NODE_ENV=test; npm start runs the services without it.
  names.add('NODE_ENV');
  return Object.fromEntries(Object.entries(env).filter(([k]) => !names.has(k)));
}

/** Ports the OS says are free right now (a tiny race with other programs, which a clear EADDRINUSE in the log would show). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** One service process (tsx, as npm start runs it), its log in a file and its last lines in memory for error messages. */
class Service {
  readonly #child: ChildProcess;
  readonly #tail: string[] = [];
  readonly #exited: Promise<void>;
  readonly #logFile: string;

  constructor(
    readonly name: string,
    entry: string,
    env: NodeJS.ProcessEnv,
    logDir: string,
  ) {
    this.#logFile = join(logDir, `${name}.log`);
    const log = createWriteStream(this.#logFile);
    // Its own process group: stop() can end tsx and the node process it runs together.
    this.#child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), [entry], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const stream of [this.#child.stdout!, this.#child.stderr!]) {
      stream.pipe(log, { end: false });
      stream.on('data', (chunk: Buffer) => {
        this.#tail.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim()));
        this.#tail.splice(0, Math.max(0, this.#tail.length - 15));
      });
    }
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    void this.#exited.then(() => log.end());
    liveGroups.add(this.#child.pid!);
    void this.#exited.then(() => liveGroups.delete(this.#child.pid!));
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Resolves when `url` answers 2xx; rejects with the service's last log lines when it exits or takes too long. */
  async waitHealthy(url: string): Promise<void> {
    const deadline = Date.now() + HEALTHY_WITHIN_MS;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited (${this.#child.signalCode ?? this.#child.exitCode}) while starting. Its last lines (all of it in ${this.#logFile}):\n${this.#tail.join('\n')}`);
      const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.name} did not become healthy at ${url} within ${HEALTHY_WITHIN_MS / 1000}s. Its last lines (all of it in ${this.#logFile}):\n${this.#tail.join('\n')}`);
  }

  /** SIGTERM (the services close their database cleanly), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    signalGroup(this.#child.pid!, 'SIGTERM');
    const killer = setTimeout(() => signalGroup(this.#child.pid!, 'SIGKILL'), 10_000);
    await this.#exited;
    clearTimeout(killer);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Process groups still running: killed if the test process exits without closing the stack (e.g. a crash). */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
});
