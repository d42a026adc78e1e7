import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import type { SocketNamespace } from '@kestrel/contracts';

/** Where per-room sequence numbers live: this process, or Redis when several instances serve sockets. */
export interface SeqStore {
  next(key: string): Promise<number>;
  current(key: string): Promise<number>;
}

export class MemorySeqStore implements SeqStore {
  private readonly seqs = new Map<string, number>();
  async next(key: string) {
    const seq = (this.seqs.get(key) ?? 0) + 1;
    this.seqs.set(key, seq);
    return seq;
  }
  async current(key: string) {
    return this.seqs.get(key) ?? 0;
  }
}

/** INCR on one connection: replies come back in command order, so events keep their order. */
export class RedisSeqStore implements SeqStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  next(key: string) {
    return this.redis.incr(`${this.prefix}seq:${key}`);
  }
  async current(key: string) {
    return Number((await this.redis.get(`${this.prefix}seq:${key}`)) ?? 0);
  }
}

/**
 * The one way the backend pushes events. Each event is wrapped as `{ room, seq, ts, data }`,
 * with `seq` counting up by one per (namespace, room) across every backend instance, so a client
 * that sees a jump knows it missed something and refetches. Services publish after their
 * transaction commits. Publishes are chained, so events leave in the order they were published.
 */
export class RealtimeHub {
  private io: Server | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly seqs: SeqStore = new MemorySeqStore(),
    private readonly onError: (err: unknown, event: string) => void = () => {},
  ) {}

  attach(io: Server): void {
    this.io = io;
  }

  currentSeq(ns: SocketNamespace, room: string): Promise<number> {
    return this.seqs.current(`${ns}|${room}`);
  }

  /**
   * Emits after every earlier publish. Resolves with the event's seq, or null when it could not be
   * sent (the error goes to `onError`): a push never fails the change it reports, which is
   * committed already; clients catch up through the seq gap and a REST refetch.
   */
  publish(ns: SocketNamespace, room: string, event: string, data: unknown): Promise<number | null> {
    const ts = new Date().toISOString();
    const done = this.tail.then(async () => {
      try {
        const seq = await this.seqs.next(`${ns}|${room}`);
        this.io?.of(ns).to(room).emit(event, { room, seq, ts, data });
        return seq;
      } catch (err) {
        this.onError(err, event);
        return null;
      }
    });
    this.tail = done;
    return done;
  }

  /** Resolves when every publish so far has been emitted. */
  flushed(): Promise<unknown> {
    return this.tail;
  }
}
