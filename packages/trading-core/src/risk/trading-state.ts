/**
 * Trading state at each level. ACTIVE: anything the other limits allow. REDUCING: only orders
 * that shrink the position. HALTED: no new orders at all (cancels still go out). The effective
 * state is the most restrictive of global, tenant and profile.
 */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';
export type TradingScope = 'global' | 'tenant' | 'profile';

export interface ScopedTradingState {
  readonly state: TradingState;
  /** Why it is not ACTIVE (kill-switch reason), shown in the denial. */
  readonly reason?: string | null;
}

export type TradingStates = Readonly<Record<TradingScope, ScopedTradingState>>;

export const ALL_ACTIVE: TradingStates = Object.freeze({
  global: { state: 'ACTIVE' },
  tenant: { state: 'ACTIVE' },
  profile: { state: 'ACTIVE' },
});

const RANK: Readonly<Record<TradingState, number>> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };
const SCOPES: readonly TradingScope[] = ['global', 'tenant', 'profile'];

export interface EffectiveTradingState {
  readonly state: TradingState;
  /** The broadest level that imposes it (null when ACTIVE). */
  readonly scope: TradingScope | null;
  readonly reason: string | null;
}

const EFFECTIVE_ACTIVE: EffectiveTradingState = Object.freeze({ state: 'ACTIVE', scope: null, reason: null });

export function effectiveTradingState(states: TradingStates): EffectiveTradingState {
  // The common case, answered without building an object.
  if (states.global.state === 'ACTIVE' && states.tenant.state === 'ACTIVE' && states.profile.state === 'ACTIVE') return EFFECTIVE_ACTIVE;
  let best: EffectiveTradingState = { state: 'ACTIVE', scope: null, reason: null };
  for (const scope of SCOPES) {
    const s = states[scope];
    if (RANK[s.state] > RANK[best.state]) best = { state: s.state, scope, reason: s.reason ?? null };
  }
  return best;
}
