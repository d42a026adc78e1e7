/** Stable codes of the backtester's refusals (the strategy's own STRATEGY_* codes pass through). */
export type BacktestCode = 'BACKTEST_INVALID_CONFIG' | 'BACKTEST_NO_DATA' | 'BACKTEST_CANCELLED' | 'STRATEGY_UNKNOWN' | 'STRATEGY_PARAMS_INVALID';

export class BacktestError extends Error {
  override readonly name = 'BacktestError';
  readonly code: BacktestCode;
  /** For STRATEGY_PARAMS_INVALID: which parameter and what is wrong. */
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];

  constructor(code: BacktestCode, message: string, issues: BacktestError['issues'] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

export const invalid = (message: string): BacktestError => new BacktestError('BACKTEST_INVALID_CONFIG', message);
