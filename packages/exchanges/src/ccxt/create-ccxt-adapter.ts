import { CcxtAdapter, type CcxtAdapterOptions } from './ccxt-adapter.ts';
import type { CcxtClient } from './ccxt-client.ts';

export interface CcxtCredentials {
  readonly apiKey: string;
  readonly secret: string;
  readonly password?: string;
}

/**
 * Builds a live adapter for a ccxt venue id ("binance", "kraken", …). ccxt is imported here, on
 * demand, so code that only uses the paper exchange or the replay never loads it.
 */
export async function createCcxtAdapter(
  exchangeId: string,
  credentials: CcxtCredentials,
  options: CcxtAdapterOptions & { readonly sandbox?: boolean; readonly ccxtOptions?: Readonly<Record<string, unknown>> } = {},
): Promise<CcxtAdapter> {
  const ccxt = await import('ccxt');
  const classes = ccxt.exchanges as unknown as Record<string, (new (config: Record<string, unknown>) => CcxtClient & { setSandboxMode(on: boolean): void }) | undefined>;
  const Venue = Object.hasOwn(classes, exchangeId) ? classes[exchangeId] : undefined;
  if (!Venue) throw new RangeError(`ccxt has no exchange ${JSON.stringify(exchangeId)}`);
  const client = new Venue({ ...credentials, enableRateLimit: true, ...(options.ccxtOptions ?? {}) });
  if (options.sandbox) client.setSandboxMode(true);
  return new CcxtAdapter(client, options);
}
