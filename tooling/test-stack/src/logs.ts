import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@kestrel/server-kit';

/** A real pino logger whose JSON lines are kept in memory, so tests can assert on what was logged. */
export function captureLogger(name: string, level = 'info'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ name, level, destination }), lines };
}
