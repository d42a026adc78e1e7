#!/usr/bin/env node
// Installs dependencies when they are missing or stale, so `npm start` and `npm test` work on a
// fresh clone with only Node and npm. Stale means: a package in package-lock.json is not installed
// at its locked version, or a package.json declares a dependency the lock does not record.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));

function workspaceDirs() {
  const dirs = [''];
  for (const group of ['apps', 'packages', 'tooling']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) if (existsSync(join(base, name, 'package.json'))) dirs.push(`${group}/${name}`);
  }
  return dirs;
}

function whyStale() {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(join(root, 'package-lock.json'))) return 'package-lock.json is missing';
  const lock = readJson('package-lock.json').packages ?? {};
  for (const dir of workspaceDirs()) {
    const pkg = readJson(join(dir, 'package.json'));
    const locked = lock[dir] ?? {};
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, spec] of Object.entries(pkg[field] ?? {})) {
        if ((locked[field] ?? {})[name] !== spec) return `${dir || 'root'}/package.json wants ${name}@${spec}, which package-lock.json does not record`;
      }
    }
  }
  const hiddenPath = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hiddenPath)) return 'node_modules was not installed by npm';
  const installed = JSON.parse(readFileSync(hiddenPath, 'utf8')).packages ?? {};
  for (const [path, meta] of Object.entries(lock)) {
    if (!path.startsWith('node_modules/') || meta.optional || meta.link) continue;
    if (installed[path]?.version !== meta.version) return `${path.slice('node_modules/'.length)}@${meta.version} is not installed`;
  }
  return null;
}

export function ensureDeps() {
  const reason = whyStale();
  if (!reason) return;
  const lockOk = existsSync(join(root, 'package-lock.json')) && !/package\.json wants/.test(reason);
  const args = lockOk ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  console.log(`[kestrel] installing dependencies (${reason}): npm ${args.join(' ')}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[kestrel] npm could not install the dependencies: check the network to the npm registry, then run `npm install` yourself.');
    process.exit(r.status ?? 1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureDeps();
