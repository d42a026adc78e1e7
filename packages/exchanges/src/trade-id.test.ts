import { describe, expect, it } from 'vitest';
import { compareTradeIds } from './trade-id.ts';

describe('compareTradeIds', () => {
  it('orders digit strings numerically, others as strings', () => {
    expect(['10', '9', '100', '09', '11'].sort(compareTradeIds)).toEqual(['09', '9', '10', '11', '100']);
    expect(compareTradeIds('3202141790', '3202141777')).toBeGreaterThan(0);
    expect(compareTradeIds('b', 'a')).toBeGreaterThan(0);
    expect(compareTradeIds('7', '7')).toBe(0);
  });
});
