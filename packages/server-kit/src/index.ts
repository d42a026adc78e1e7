export * from './create-server.ts';
export * from './errors.ts';
export * from './logger.ts';
export * from './request-id.ts';
export * from './env.ts';
