import { localCoordination, type SessionCoordination, type SessionMessage } from './session.ts';

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Tabs of one browser share the session cookie, so they share one refresh token: the Web Locks API
 * keeps their refreshes from overlapping (an overlap would look like a replayed token and revoke
 * the family), and a BroadcastChannel signs every tab out when one is signed out — by the user,
 * or because the server revoked the session. Falls back to one-tab behaviour where a browser lacks
 * either API.
 */
export function browserCoordination(name = 'kestrel-session'): SessionCoordination {
  const local = localCoordination();
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null;
  return {
    lock: locks ? (fn) => locks.request(`${name}:refresh`, fn) : local.lock,
    post: (message) => channel?.postMessage(message),
    listen(handler) {
      if (!channel) return () => {};
      const onMessage = (e: Event) => handler((e as Event & { data: SessionMessage }).data);
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
  };
}
