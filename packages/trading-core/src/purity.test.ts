/**
 * The core's hard rules, checked on its source: no I/O, no wall clock, no environment, no
 * timers, no randomness; imports only decimal.js, @kestrel/contracts (types) and its own files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = import.meta.dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const FORBIDDEN: readonly [RegExp, string][] = [
  [/Date\.now\s*\(/, 'Date.now()'],
  [/new Date\(\s*\)/, 'new Date() without an argument'],
  [/process\.(env|hrtime|argv)/, 'process.*'],
  [/performance\.now/, 'performance.now()'],
  [/Math\.random/, 'Math.random()'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, 'timers'],
  [/\bfetch\s*\(/, 'fetch()'],
  [/\brequire\s*\(/, 'require()'],
];

describe('trading-core purity', () => {
  const files = sources(root);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s uses no wall clock, environment, timers, randomness or I/O', (_name, file) => {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const [pattern, what] of FORBIDDEN) expect(pattern.test(text), what).toBe(false);
    for (const m of text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'/g)) {
      const spec = m[1] ?? m[2] ?? '';
      const allowed = spec.startsWith('./') || spec.startsWith('../') || spec === 'decimal.js' || spec === '@kestrel/contracts';
      expect(allowed, `import ${spec}`).toBe(true);
    }
  });
});
