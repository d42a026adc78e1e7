import type { DecisionRecorded } from './decision-events.ts';
import type { OrderEvent } from './order-events.ts';
import type { PositionEvent } from './position-events.ts';

/** Every event the trading core defines, discriminated on `type`. */
export type TradingEvent = OrderEvent | PositionEvent | DecisionRecorded;
