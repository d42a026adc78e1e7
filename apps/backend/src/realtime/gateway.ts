import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';
import type { Logger } from 'pino';
import { AppError, rooms, SOCKET_READY_EVENT, type Role, type SocketNamespace } from '@kestrel/contracts';
import { bearerToken, type AuthContext, type TokenVerifier } from '../auth/token-verifier.ts';
import type { Metrics } from '../plugins/metrics.ts';
import type { RealtimeHub } from './hub.ts';
import { attachProfileRooms, type ProfileAccess } from './profile-rooms.ts';
import { attachMarketRooms, type MarketBroadcaster } from './market-rooms.ts';

interface SocketData {
  auth: AuthContext;
}

const NAMESPACE_ROLES: Record<SocketNamespace, readonly Role[]> = {
  '/': ['viewer', 'trader', 'admin', 'operator'],
  '/trading': ['viewer', 'trader', 'admin', 'operator'],
  '/admin': ['admin', 'operator'],
};

/** Longest a timer may be set for (setTimeout overflows past 2^31-1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Socket.IO on the backend's own HTTP server. The access token is checked at the handshake
 * (`auth.token`, or an `Authorization: Bearer` header); the server, never the client, puts each
 * socket in its rooms (its tenant, its user, the platform room, operators); `/admin` admits only
 * admins and operators; a socket is disconnected when its token expires.
 */
export function createGateway(deps: {
  httpServer: HttpServer;
  verifier: TokenVerifier;
  hub: RealtimeHub;
  logger: Logger;
  metrics: Metrics;
  /** Enables `subscribe.profile` on /trading. */
  profileAccess?: ProfileAccess;
  /** Market pushes (`subscribe.market` on /trading); without it that event answers DEPENDENCY_UNAVAILABLE. */
  market?: MarketBroadcaster;
  now?: () => number;
}): Server {
  const io = new Server(deps.httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // Any origin may connect: the access token, not a cookie, authorises, so there is no CSRF to fear.
    cors: { origin: true, credentials: false },
  });
  const now = deps.now ?? Date.now;
  deps.hub.attach(io);
  deps.market?.attach(io);

  for (const name of Object.keys(NAMESPACE_ROLES) as SocketNamespace[]) {
    const nsp: Namespace = io.of(name);
    nsp.use(async (socket, next) => {
      try {
        const raw = socket.handshake.auth?.token;
        const token =
          typeof raw === 'string' ? raw.replace(/^Bearer\s+/i, '') : bearerToken(socket.handshake.headers.authorization);
        if (!token) throw new AppError('AUTH_TOKEN_MISSING');
        const auth = await deps.verifier.verify(token);
        if (!auth.roles.some((r) => NAMESPACE_ROLES[name].includes(r))) {
          throw new AppError('FORBIDDEN', `The ${name} namespace needs one of the roles: ${NAMESPACE_ROLES[name].join(', ')}.`);
        }
        (socket.data as SocketData).auth = auth;
        next();
      } catch (err) {
        const e = err instanceof AppError ? err : new AppError('AUTH_TOKEN_MALFORMED');
        const refused = new Error(e.message) as Error & { data: { code: string; message: string } };
        refused.data = { code: e.code, message: e.message };
        next(refused);
      }
    });
    nsp.on('connection', (socket: Socket) => onConnection(name, socket));
  }

  function onConnection(name: SocketNamespace, socket: Socket) {
    const { auth } = socket.data as SocketData;
    const joined = [rooms.platform(), rooms.tenant(auth.tenantId), rooms.user(auth.userId)];
    if (name === '/admin' && auth.roles.includes('operator')) joined.push(rooms.operators());
    void socket.join(joined);
    deps.metrics.socketConnections.inc({ namespace: name });
    if (name === '/trading' && deps.profileAccess) attachProfileRooms(socket, auth, { access: deps.profileAccess, hub: deps.hub });
    if (name === '/trading') attachMarketRooms(socket, deps.market);

    const msLeft = auth.exp * 1000 - now();
    const expiry = setTimeout(
      () => {
        socket.emit('session.expired', { reason: 'The access token expired: reconnect with a fresh token.' });
        socket.disconnect(true);
      },
      Math.max(0, Math.min(msLeft, MAX_TIMER_MS)),
    );
    expiry.unref();

    socket.on('disconnect', () => {
      clearTimeout(expiry);
      deps.metrics.socketConnections.dec({ namespace: name });
    });
    void Promise.all(joined.map(async (r) => [r, await deps.hub.currentSeq(name, r)] as const))
      .then((seqs) => socket.emit(SOCKET_READY_EVENT, { rooms: Object.fromEntries(seqs) }))
      .catch((err: unknown) => {
        deps.logger.warn({ err }, 'could not read room sequence numbers; dropping the socket so it reconnects');
        socket.disconnect(true);
      });
  }

  return io;
}
