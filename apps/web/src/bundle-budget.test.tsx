// @vitest-environment node
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** scripts/check-bundle.mjs on a fresh production build (in a temporary folder, not apps/web/dist). */
describe('bundle budget', () => {
  it('keeps the initial JavaScript within 250 KB gzipped, with the chart and admin pages loaded on demand', () => {
    const dist = mkdtempSync(join(tmpdir(), 'kestrel-web-dist-'));
    try {
      const root = join(import.meta.dirname, '..', '..', '..');
      const run = spawnSync(process.execPath, [join(root, 'scripts', 'check-bundle.mjs'), '--build', '--dist', dist], { cwd: root, encoding: 'utf8' });
      const output = `${run.stdout}${run.stderr}`;
      console.log(output.trim());
      expect(run.status, output).toBe(0);
      const initialKb = Number(/initial JavaScript of the dashboard \(gzipped\): ([\d.]+) KB/.exec(output)?.[1]);
      expect(initialKb).toBeGreaterThan(50);
      expect(initialKb).toBeLessThanOrEqual(250);
      expect(output).toMatch(/loaded on demand: .*components\/charts\/candle-chart\.tsx/);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  }, 120_000);
});
