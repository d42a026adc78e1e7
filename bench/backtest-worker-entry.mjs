// Worker threads do not inherit tsx from the parent (Node 20 ignores `--import` in a worker's
// execArgv): register it here, then load the TypeScript worker of bench/backtest.bench.ts.
import { register } from 'tsx/esm/api';

register();
await import('./backtest-worker.bench.ts');
