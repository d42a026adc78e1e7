import type { Server } from 'socket.io';
import type { SocketNamespace } from '@kestrel/contracts';

/**
 * The one way the backend pushes events. Each event is wrapped as `{ room, seq, ts, data }`,
 * with `seq` counting up by one per (namespace, room), so a client that sees a jump knows it
 * missed something and refetches. Services publish after their transaction commits.
 */
export class RealtimeHub {
  private io: Server | undefined;
  private readonly seqs = new Map<string, number>();

  attach(io: Server): void {
    this.io = io;
  }

  currentSeq(ns: SocketNamespace, room: string): number {
    return this.seqs.get(`${ns}|${room}`) ?? 0;
  }

  publish(ns: SocketNamespace, room: string, event: string, data: unknown): number {
    const key = `${ns}|${room}`;
    const seq = (this.seqs.get(key) ?? 0) + 1;
    this.seqs.set(key, seq);
    this.io?.of(ns).to(room).emit(event, { room, seq, ts: new Date().toISOString(), data });
    return seq;
  }
}
