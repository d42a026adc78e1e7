export * from './errors.ts';
export * from './auth.ts';
export * from './common.ts';
export * from './user.ts';
export * from './trading-control.ts';
export * from './audit.ts';
export * from './socket.ts';
