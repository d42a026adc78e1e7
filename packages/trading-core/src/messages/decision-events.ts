import type { Decision } from '../decisions/decision.ts';

/** Every decision, approved, denied or skipped, is published and stored ("why no trade"). */
export interface DecisionRecorded {
  readonly type: 'DecisionRecorded';
  readonly at: number;
  readonly decision: Decision;
}
