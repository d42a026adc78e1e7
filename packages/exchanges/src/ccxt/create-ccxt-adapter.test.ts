import { describe, expect, it } from 'vitest';
import { createCcxtAdapter } from './create-ccxt-adapter.ts';

describe('createCcxtAdapter', () => {
  it('builds an adapter for a ccxt venue id without touching the network', async () => {
    const adapter = await createCcxtAdapter('binance', { apiKey: 'k', secret: 's' });
    expect(adapter.venue).toBe('binance');
  });

  it('refuses an unknown venue id', async () => {
    await expect(createCcxtAdapter('no-such-venue', { apiKey: 'k', secret: 's' })).rejects.toThrow(/no exchange/);
  });
});
