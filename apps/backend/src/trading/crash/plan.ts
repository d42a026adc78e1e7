/**
 * Test-only: what one seed of crash-at-every-step does — the crash point, the occurrence of that
 * point to die at, and the intents to trade. Shared by the test and the child process.
 */
import { derivePrng, type Prng } from '@kestrel/exchanges';
import { Dec, type Intent } from '@kestrel/trading-core';
import type { CrashPoint, SenderOptions } from '../order-sender.ts';

export type { CrashPoint };
export const CRASH_POINTS: readonly CrashPoint[] = ['intent.committed', 'venue.answered', 'ack.persisted', 'fill.applied-uncommitted', 'fill.committed'];
export const SYMBOL = 'BTC/USDT';

/** Fast lookups, so an ambiguous order is settled within a test run. */
export const SENDER_OPTIONS: Partial<SenderOptions> = { lookupIntervalMs: 20, minLookupMisses: 3, missWindowMs: 60 };

export interface Step {
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit';
  readonly quantity: string;
  /** Limit price relative to the last price (−0.02 … +0.02): resting or marketable. */
  readonly offset: number;
  /** Pause after the submit, so price moves and stream polls interleave with the next intent. */
  readonly pauseMs: number;
}

export interface CrashPlan {
  readonly seed: number;
  readonly point: CrashPoint;
  /** Die at the n-th time the point is reached (a run that reaches it fewer times ends cleanly). */
  readonly occurrence: number;
  readonly steps: readonly Step[];
}

const int = (rng: Prng, min: number, max: number) => min + Math.floor(rng.next() * (max - min + 1));

/**
 * Seed n dies at point (n − 1) mod 5, at its occurrence 1 + ⌊(n − 1) / 5⌋ mod 3: seeds 1–5 crash at
 * the first time each point is reached, 6–10 at the second, 11–15 at the third, and so on. Every
 * run starts with two market buys, which pass every point once each, so occurrences 1 and 2 are
 * always reached; the intents themselves are random per seed.
 */
export function crashPlan(seed: number): CrashPlan {
  const rng = derivePrng(seed, 'crash-plan');
  const n = Math.max(0, seed - 1);
  const point = CRASH_POINTS[n % CRASH_POINTS.length]!;
  const occurrence = 1 + (Math.floor(n / CRASH_POINTS.length) % 3);
  const steps: Step[] = [];
  for (let i = 0; i < 8; i++) {
    // The first two are market buys: every run has fills, and a position that later sells can reduce.
    steps.push({
      side: i < 2 || rng.next() < 0.6 ? 'buy' : 'sell',
      type: i < 2 || rng.next() < 0.55 ? 'market' : 'limit',
      quantity: (int(rng, 1, 10) / 10).toFixed(1),
      offset: Math.round((rng.next() * 0.04 - 0.02) * 1000) / 1000,
      pauseMs: int(rng, 0, 40),
    });
  }
  return { seed, point, occurrence, steps };
}

export function intentOf(step: Step, lastPrice: number): Intent {
  const base = { kind: 'order', side: step.side, quantity: new Dec(step.quantity), reason: `crash test ${step.type} ${step.side}` } as const;
  if (step.type === 'market') return { ...base, orderType: 'market' };
  return { ...base, orderType: 'limit', price: new Dec(lastPrice * (1 + step.offset)).toDecimalPlaces(1) };
}

export type ChildDb = { readonly kind: 'pglite'; readonly dataDir: string } | { readonly kind: 'postgres'; readonly url: string };

export interface ChildArgs {
  readonly db: ChildDb;
  readonly venueUrl: string;
  readonly tenantId: string;
  readonly profileId: string;
  readonly seed: number;
  readonly logLevel: string;
}
