// Test-only fault injection: a backtest worker that dies on its first task, the way an
// out-of-memory or an internal bug kills a real one (an uncaught error ends the thread).
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.type === 'run') throw new Error('injected crash');
});
