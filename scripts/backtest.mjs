#!/usr/bin/env node
// `npm run backtest -- …`: one backtest over a candle CSV (see packages/backtester/src/cli.ts).
// The CLI is bundled once with esbuild into node_modules/.cache/kestrel/ and rebuilt only when a
// source it is made of changed, so a run starts in tens of milliseconds instead of compiling
// TypeScript on every start (a backtest of a million bars takes about as long as that would).
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'node_modules', '.cache', 'kestrel', 'backtest-cli.mjs');
const SOURCES = ['packages/backtester', 'packages/exchanges', 'packages/strategies', 'packages/trading-core'];

/** The newest modification time among the CLI's sources (and this script). */
function newestSource() {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const pkg of SOURCES) {
    walk(join(root, pkg, 'src'));
    newest = Math.max(newest, statSync(join(root, pkg, 'package.json')).mtimeMs);
  }
  return newest;
}

ensureDeps();
if (!existsSync(out) || statSync(out).mtimeMs < newestSource()) {
  const { build } = await import('esbuild');
  mkdirSync(dirname(out), { recursive: true });
  process.stderr.write('[kestrel] building the backtest CLI (once per source change)…\n');
  await build({
    entryPoints: [join(root, 'packages/backtester/src/cli.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Only what the CLI uses: the packages declare themselves free of side effects, so the ccxt
    // adapter and the rest of @kestrel/exchanges stay out of the bundle.
    treeShaking: true,
    external: ['ccxt'],
    logLevel: 'warning',
  });
}
const { main } = await import(pathToFileURL(out).href);
process.exitCode = await main(process.argv.slice(2));
