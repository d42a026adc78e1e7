export * from './platform.ts';
export * from './backend.ts';
export * from './stack.ts';
export * from './logs.ts';
