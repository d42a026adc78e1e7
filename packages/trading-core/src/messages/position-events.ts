import type { Dec } from '../decimal/dec.ts';
import type { Position } from '../positions/position.ts';

interface PositionEventBase {
  readonly at: number;
  readonly profileId: string;
  readonly symbol: string;
  /** The position after the event. */
  readonly position: Position;
  /** The fill that caused it, when it was a fill. */
  readonly tradeId: string | null;
}

/** From flat to long or short (also the second half of a flip). */
export interface PositionOpened extends PositionEventBase {
  readonly type: 'PositionOpened';
}

/** Increased or partly reduced; `realizedPnl` is what this fill realized (zero on an increase). */
export interface PositionChanged extends PositionEventBase {
  readonly type: 'PositionChanged';
  readonly realizedPnl: Dec;
}

/**
 * Back to flat (also the first half of a flip). `realizedPnl` is what this fill realized;
 * `roundTripPnl` is the whole open-to-close result net of quote-currency fees: a loss when < 0.
 */
export interface PositionClosed extends PositionEventBase {
  readonly type: 'PositionClosed';
  readonly realizedPnl: Dec;
  readonly roundTripPnl: Dec;
}

export type PositionEvent = PositionOpened | PositionChanged | PositionClosed;
