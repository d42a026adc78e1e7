import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** JSON logs (pino). Secrets that may pass through requests are redacted at the source. */
export function createLogger(options: { name: string; level: string; destination?: pino.DestinationStream }): Logger {
  const opts: LoggerOptions = {
    name: options.name,
    level: options.level,
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.body.password',
        'req.body.refreshToken',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        '*.apiSecret',
      ],
      censor: '[redacted]',
    },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
