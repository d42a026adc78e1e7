import type { ExchangeErrorCode } from '../exchange-error.ts';
import type { CallFault, CallType, StreamFault } from './faults.ts';

export type FaultKind = CallFault['kind'] | StreamFault | 'unknown_order';

export interface FaultLogEntry {
  readonly seq: number;
  /** Scheduler time when the request reached the venue (or the stream fault happened). */
  readonly at: number;
  readonly call: CallType | 'stream';
  readonly clientOrderId?: string;
  readonly fault: FaultKind | null;
  /** The request was applied by the matching engine. */
  readonly reachedEngine: boolean;
  readonly outcome: 'ok' | ExchangeErrorCode;
}

/** What the paper exchange did with every call, for tests and the demo's diagnostics. */
export class FaultLog {
  readonly entries: FaultLogEntry[] = [];
  readonly #calls = new Map<string, number>();
  readonly #reached = new Map<string, number>();
  readonly #faults = new Map<string, number>();

  record(entry: Omit<FaultLogEntry, 'seq'>): void {
    this.entries.push({ seq: this.entries.length + 1, ...entry });
    // Stream faults and the unknown-order window are notes about a call already logged.
    if (entry.call !== 'stream' && entry.fault !== 'unknown_order') bump(this.#calls, entry.call);
    if (entry.reachedEngine) bump(this.#reached, entry.call);
    if (entry.fault) bump(this.#faults, entry.fault);
  }

  /** Calls of this type that reached the venue's door (refused ones included). */
  calls(call: CallType): number {
    return this.#calls.get(call) ?? 0;
  }

  /** Calls of this type the matching engine applied. */
  reachedEngine(call: CallType): number {
    return this.#reached.get(call) ?? 0;
  }

  faults(kind: FaultKind): number {
    return this.#faults.get(kind) ?? 0;
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
