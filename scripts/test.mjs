#!/usr/bin/env node
// `npm test`: installs dependencies when needed, type-checks, then runs every test with vitest —
// unit and integration tests on PGlite, and the database tests also on PostgreSQL when
// DATABASE_URL is set. Extra arguments go to vitest (e.g. `npm test -- apps/backend`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (n) => join(root, 'node_modules', '.bin', n);
const extra = process.argv.slice(2);

ensureDeps();
if (process.env.DATABASE_URL) {
  const u = new URL(process.env.DATABASE_URL);
  console.log(`[kestrel] database tests run on PGlite and on PostgreSQL at ${u.host}${u.pathname} (DATABASE_URL)`);
} else {
  console.log('[kestrel] database tests run on PGlite (set DATABASE_URL to also run them on PostgreSQL)');
}

if (extra.length === 0) {
  console.log('[kestrel] type-checking (tsc --noEmit)…');
  // The services and packages, then the web dashboard (browser types and JSX: its own tsconfig).
  for (const project of ['tsconfig.json', 'apps/web/tsconfig.json']) {
    const tsc = spawnSync(bin('tsc'), ['-p', project, '--noEmit'], { cwd: root, stdio: 'inherit' });
    if (tsc.status !== 0) {
      console.error(`[kestrel] type errors above (${project}): fix them, then run npm test again.`);
      process.exit(tsc.status ?? 1);
    }
  }
}

const results = join(root, 'node_modules', '.cache', 'kestrel-vitest.json');
rmSync(results, { force: true });
console.log('[kestrel] running tests (vitest)…');
const run = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...extra], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // Which database each database test ran on: their describe blocks are named "[pglite]" / "[postgres]".
  const byDb = { pglite: { passed: 0, failed: 0 }, postgres: { passed: 0, failed: 0 } };
  for (const file of r.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      const db = /\[(pglite|postgres)\]/.exec(t.fullName ?? '')?.[1];
      if (db && (t.status === 'passed' || t.status === 'failed')) byDb[db][t.status]++;
    }
  }
  for (const [db, c] of Object.entries(byDb)) {
    console.log(`[kestrel] database tests on ${db === 'pglite' ? 'PGlite' : 'PostgreSQL'}: ${c.passed} passed, ${c.failed} failed`);
  }
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
process.exit(run.status ?? 1);
