import type { Socket } from 'socket.io';
import { rooms, subscribeProfileRequestSchema, SUBSCRIBE_PROFILE_EVENT, UNSUBSCRIBE_PROFILE_EVENT } from '@kestrel/contracts';
import type { AuthContext } from '../auth/token-verifier.ts';
import type { RealtimeHub } from './hub.ts';

/** Whether a profile exists and belongs to a tenant (ProfileService.belongsTo). */
export type ProfileAccess = (tenantId: string, profileId: string) => Promise<boolean>;

type Ack = (answer: unknown) => void;
const MAX_PROFILE_ROOMS = 200;

/**
 * `subscribe.profile` / `unsubscribe.profile` on /trading: a socket joins `profile:<id>` only for a
 * profile of its own tenant (checked in the database with the socket's token tenant); another
 * tenant's id or an unknown one answers NOT_FOUND, exactly alike, so ids cannot be probed.
 */
export function attachProfileRooms(socket: Socket, auth: AuthContext, deps: { access: ProfileAccess; hub: RealtimeHub }): void {
  const reply = (ack: unknown, answer: unknown) => {
    if (typeof ack === 'function') (ack as Ack)(answer);
  };
  socket.on(SUBSCRIBE_PROFILE_EVENT, async (payload: unknown, ack: unknown) => {
    const parsed = subscribeProfileRequestSchema.safeParse(payload);
    if (!parsed.success) return reply(ack, { ok: false, error: { code: 'VALIDATION_FAILED', message: 'send { profileId: <uuid> }' } });
    const room = rooms.profile(parsed.data.profileId);
    const joinedProfiles = [...socket.rooms].filter((r) => r.startsWith('profile:')).length;
    if (joinedProfiles >= MAX_PROFILE_ROOMS && !socket.rooms.has(room)) return reply(ack, { ok: false, error: { code: 'RATE_LIMITED', message: `at most ${MAX_PROFILE_ROOMS} profile rooms per socket` } });
    try {
      if (!(await deps.access(auth.tenantId, parsed.data.profileId))) return reply(ack, { ok: false, error: { code: 'NOT_FOUND', message: 'No such profile.' } });
      await socket.join(room);
      reply(ack, { ok: true, room, seq: await deps.hub.currentSeq('/trading', room) });
    } catch {
      reply(ack, { ok: false, error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'could not check the profile; try again' } });
    }
  });
  socket.on(UNSUBSCRIBE_PROFILE_EVENT, async (payload: unknown, ack: unknown) => {
    const parsed = subscribeProfileRequestSchema.safeParse(payload);
    if (!parsed.success) return reply(ack, { ok: false, error: { code: 'VALIDATION_FAILED', message: 'send { profileId: <uuid> }' } });
    const room = rooms.profile(parsed.data.profileId);
    await socket.leave(room);
    reply(ack, { ok: true, room, seq: await deps.hub.currentSeq('/trading', room) });
  });
}
