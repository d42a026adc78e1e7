// The built web dashboard (apps/web/dist), which the backend serves at http://localhost:<BACKEND_PORT>.
// Shared by `npm start` and the browser tests (apps/web/e2e), so both serve the same, current build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'apps', 'web');

/** Where the dashboard is built to (the backend's default WEB_DIST_DIR). */
export const webDistDir = join(web, 'dist');

/**
 * Builds apps/web/dist when it is missing or older than its sources (the web app, the api-client and
 * the contracts it bundles). Returns true when an up-to-date build is there afterwards, false when
 * the build failed: vite has printed why, and the caller says what that means for it.
 */
export function buildWebIfStale() {
  const index = join(webDistDir, 'index.html');
  const sources = [join(web, 'src'), join(web, 'public'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(root, 'packages', 'api-client', 'src'), join(root, 'packages', 'contracts', 'src')];
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > 0 && built >= newestMtime(sources)) {
    console.log('[kestrel] web dashboard: apps/web/dist is up to date');
    return true;
  }
  console.log(`[kestrel] web dashboard: ${built ? 'sources changed since the last build' : 'not built yet'}; building apps/web/dist (vite build)…`);
  const t = Date.now();
  // A production build whatever the caller's NODE_ENV (npm test sets "test", which would bundle React's development build).
  const r = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status === 0) {
    console.log(`[kestrel] web dashboard built in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    return true;
  }
  return false;
}

/** The newest modification time of the files under `paths`; tests do not count (they are not bundled). */
function newestMtime(paths) {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p, { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && !/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
      }
    } else newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}
