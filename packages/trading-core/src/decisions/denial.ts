import type { CoreCode } from '../errors/codes.ts';

/** Where a denial came from, in the order the gates run. */
export type DenialStage = 'rule' | 'order' | 'instrument' | 'risk';

/** Why an intent did not become an order: a stable code and a reason with the numbers involved. */
export interface Denial {
  readonly stage: DenialStage;
  readonly code: CoreCode;
  readonly reason: string;
}
