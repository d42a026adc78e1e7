// Worker threads do not inherit the parent's module loaders, and Node 20 ignores `--import` in a
// worker's execArgv: register tsx here, then load the TypeScript worker. This works the same under
// `tsx src/server.ts`, inside vitest, and under plain node.
import { register } from 'tsx/esm/api';

register();
await import('./backtest-worker.ts');
