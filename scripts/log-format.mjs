// Turns the services' pino JSON lines into short readable lines for the terminal of `npm start`.
// (The services themselves always log JSON, which is what log collectors want.)
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const COLORS = { warn: '\x1b[33m', error: '\x1b[31m', fatal: '\x1b[31m' };
const tty = process.stdout.isTTY;

export function formatLogLine(name, line) {
  let rec;
  try {
    rec = JSON.parse(line);
  } catch {
    return `[${name}] ${line}`;
  }
  if (typeof rec !== 'object' || rec === null || !('msg' in rec)) return `[${name}] ${line}`;
  const level = LEVELS[rec.level] ?? 'info';
  const time = typeof rec.time === 'string' ? rec.time.slice(11, 19) : '';
  const extra = [];
  if (rec.requestId) extra.push(`req=${rec.requestId}`);
  if (rec.req?.method) extra.push(`${rec.req.method} ${rec.req.url}`);
  if (rec.res?.statusCode) extra.push(`${rec.res.statusCode}`);
  if (typeof rec.responseTime === 'number') extra.push(`${rec.responseTime.toFixed(1)}ms`);
  if (rec.err?.message) extra.push(`error: ${rec.err.message}`);
  const text = `[${name}] ${time} ${level.padEnd(5)} ${rec.msg}${extra.length ? '  ' + extra.join(' ') : ''}`;
  return tty && COLORS[level] ? `${COLORS[level]}${text}\x1b[0m` : text;
}
