export * as platformSchema from './platform.ts';
export * as backendSchema from './backend.ts';
export * as tradingSchema from './trading.ts';
export * from './platform.ts';
export * from './backend.ts';
export * from './trading.ts';
