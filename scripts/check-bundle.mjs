#!/usr/bin/env node
// Bundle budget of the web dashboard: the JavaScript a browser must download before the first page
// shows (the entry chunk and every chunk it imports statically), gzipped, must stay within 250 KB.
// Pages load on demand (React.lazy), so the charting library and the admin pages are not part of it;
// this script fails if they are.
//
//   node scripts/check-bundle.mjs            measure apps/web/dist (npm start builds it)
//   node scripts/check-bundle.mjs --build    build first (vite build), then measure
//   node scripts/check-bundle.mjs --build --dist /tmp/x   build into another folder (tests)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 250 * 1024;
/** Modules that must load on demand only: the chart (lightweight-charts) and the admin pages. */
const MUST_BE_LAZY = ['src/components/charts/candle-chart.tsx', 'src/app/routes/admin.tsx'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'apps', 'web');
const args = process.argv.slice(2);
const distArg = args.indexOf('--dist');
const dist = distArg >= 0 ? resolve(args[distArg + 1]) : join(web, 'dist');

if (args.includes('--build')) {
  // A production build whatever the caller's NODE_ENV (npm test sets "test", which would bundle React's development build).
  const r = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn', '--outDir', dist, '--emptyOutDir'], { cwd: web, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) {
    console.error('[bundle] vite build failed (see above)');
    process.exit(1);
  }
}

const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`[bundle] no ${manifestPath}: build the dashboard first (npm run build -w apps/web, or pass --build)`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const [entryKey] = Object.entries(manifest).find(([, chunk]) => chunk.isEntry) ?? [];
if (!entryKey) {
  console.error('[bundle] the manifest has no entry chunk');
  process.exit(1);
}

// Everything the entry imports statically, transitively: what the browser fetches up front.
const initial = new Set();
const visit = (key) => {
  if (initial.has(key)) return;
  initial.add(key);
  for (const dep of manifest[key].imports ?? []) visit(dep);
};
visit(entryKey);

const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const rows = [...initial].map((key) => ({ file: manifest[key].file, bytes: gz(manifest[key].file) })).sort((a, b) => b.bytes - a.bytes);
const total = rows.reduce((sum, r) => sum + r.bytes, 0);

console.log(`[bundle] initial JavaScript of the dashboard (gzipped): ${kb(total)} of a ${kb(BUDGET_BYTES)} budget`);
for (const r of rows) console.log(`[bundle]   ${kb(r.bytes).padStart(9)}  ${r.file}`);
const lazy = Object.entries(manifest).filter(([key, c]) => c.isDynamicEntry && !initial.has(key));
console.log(`[bundle] loaded on demand: ${lazy.map(([key, c]) => `${key.replace(/^src\//, '')} ${kb(gz(c.file))}`).join(', ')}`);

const eager = MUST_BE_LAZY.filter((key) => initial.has(key) || !manifest[key]?.isDynamicEntry);
if (eager.length) {
  console.error(`[bundle] must load on demand but does not: ${eager.join(', ')} (import them with React.lazy)`);
  process.exit(1);
}
if (total > BUDGET_BYTES) {
  console.error(`[bundle] over budget by ${kb(total - BUDGET_BYTES)}: split more code out with React.lazy, or drop a dependency`);
  process.exit(1);
}
