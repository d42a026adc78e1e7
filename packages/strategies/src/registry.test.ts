import { describe, expect, it } from 'vitest';
import { StrategyParamsError } from './errors.ts';
import { STRATEGY_IDS, createStrategy, getStrategy, isStrategyId, parseStrategyParams, strategies, strategyParamsJsonSchema, type StrategyConfig } from './registry.ts';
import { candlesFromCloses, makeContext, runSignals, testInstrument } from './testing.ts';

function invalid(id: string, raw: unknown) {
  const r = parseStrategyParams(id, raw);
  if (r.ok) throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
  expect(r.error.code).toBe('STRATEGY_PARAMS_INVALID');
  return r.error;
}

describe('registry', () => {
  it('lists the four built-in strategies by id', () => {
    expect(STRATEGY_IDS).toEqual(['sma-cross', 'rsi-mean-reversion', 'donchian-breakout', 'grid']);
    for (const id of STRATEGY_IDS) {
      const def = strategies[id];
      expect(def.id).toBe(id);
      expect(def.name.length).toBeGreaterThan(0);
      expect(def.description.length).toBeGreaterThan(20);
      expect(getStrategy(id)).toBe(def);
    }
    expect(getStrategy('martingale')).toBeUndefined();
    expect(isStrategyId('toString')).toBe(false);
  });

  it('parses parameters with their defaults, typed per strategy', () => {
    const r = parseStrategyParams('sma-cross', {});
    expect(r).toEqual({ ok: true, value: { id: 'sma-cross', params: { fast: 10, slow: 30 } } });
    if (r.ok) {
      const fast: number = r.value.params.fast;
      expect(fast).toBe(10);
    }
    expect(parseStrategyParams('rsi-mean-reversion', undefined)).toEqual({ ok: true, value: { id: 'rsi-mean-reversion', params: { period: 14, oversold: 30, overbought: 70 } } });
    expect(parseStrategyParams('donchian-breakout', { size: 0.25 })).toEqual({ ok: true, value: { id: 'donchian-breakout', params: { entryPeriod: 20, exitPeriod: 10, size: 0.25 } } });
    expect(parseStrategyParams('grid', { lower: 100, upper: 120, sizePerLevel: 0.01 })).toEqual({
      ok: true,
      value: { id: 'grid', params: { lower: 100, upper: 120, levels: 10, sizePerLevel: 0.01 } },
    });
  });

  it('returns STRATEGY_UNKNOWN for an unknown id', () => {
    expect(parseStrategyParams('martingale', {})).toEqual({
      ok: false,
      error: { code: 'STRATEGY_UNKNOWN', message: 'no built-in strategy has this id: "martingale" (known: sma-cross, rsi-mean-reversion, donchian-breakout, grid)', issues: [] },
    });
  });

  it('rejects fast ≥ slow, bad periods and sizes with messages naming the parameter', () => {
    const equal = invalid('sma-cross', { fast: 30, slow: 30 });
    expect(equal.message).toBe('fast: fast (30) must be less than slow (30)');
    expect(equal.issues).toMatchObject([{ code: 'custom', path: ['fast'], message: 'fast (30) must be less than slow (30)' }]);
    expect(invalid('sma-cross', { fast: 50 }).message).toBe('fast: fast (50) must be less than slow (30)');
    expect(invalid('sma-cross', { size: -1 }).message).toBe('size: size must be greater than 0');
    expect(invalid('sma-cross', { size: 0 }).message).toBe('size: size must be greater than 0');
    expect(invalid('sma-cross', { fast: 0 }).message).toBe('fast: fast must be at least 1');
    expect(invalid('sma-cross', { fast: 2.5 }).message).toBe('fast: fast must be a whole number of candles');
    expect(invalid('sma-cross', { slow: '30' }).message).toBe('slow: slow must be a number');
    expect(invalid('sma-cross', { slow: 1e6 }).message).toBe('slow: slow must be at most 10000');
    expect(invalid('sma-cross', { size: Infinity }).issues[0]!.path).toEqual(['size']);
    expect(invalid('sma-cross', null).message).toBe('parameters must be an object');
    expect(invalid('donchian-breakout', { entryPeriod: -5, size: -0.1 }).message).toBe('entryPeriod: entryPeriod must be at least 1; size: size must be greater than 0');
  });

  it('rejects oversold ≥ overbought and levels outside (0, 100)', () => {
    expect(invalid('rsi-mean-reversion', { oversold: 70, overbought: 70 }).message).toBe('oversold: oversold (70) must be less than overbought (70)');
    expect(invalid('rsi-mean-reversion', { overbought: 100 }).message).toBe('overbought: overbought must be less than 100');
    expect(invalid('rsi-mean-reversion', { period: 1 }).message).toBe('period: period must be at least 2');
  });

  it('rejects a grid with lower ≥ upper, fewer than 2 levels, missing or negative prices and sizes', () => {
    const base = { lower: 100, upper: 120, levels: 5, sizePerLevel: 0.1 };
    expect(invalid('grid', { ...base, lower: 120 }).message).toBe('upper: upper (120) must be greater than lower (120)');
    expect(invalid('grid', { ...base, lower: 130 }).message).toBe('upper: upper (120) must be greater than lower (130)');
    expect(invalid('grid', { ...base, levels: 1 }).message).toBe('levels: levels must be at least 2 (the lowest and the highest price)');
    expect(invalid('grid', { ...base, sizePerLevel: -1 }).message).toBe('sizePerLevel: sizePerLevel must be greater than 0');
    expect(invalid('grid', { ...base, lower: -1 }).message).toBe('lower: lower must be greater than 0');
    expect(invalid('grid', { levels: 3 }).issues.map((i) => i.path.join('.'))).toEqual(['lower', 'upper', 'sizePerLevel']);
  });

  it('gives forms a JSON Schema with a title, a description and bounds on every field', () => {
    for (const id of STRATEGY_IDS) {
      const schema = strategyParamsJsonSchema(id) as { title: string; description: string; type: string; properties: Record<string, Record<string, unknown>> };
      expect(schema.type).toBe('object');
      expect(schema.title).toBeTruthy();
      expect(schema.description).toBeTruthy();
      for (const [name, field] of Object.entries(schema.properties)) {
        expect(field.title, `${id}.${name}`).toBeTruthy();
        expect(field.description, `${id}.${name}`).toBeTruthy();
        expect('minimum' in field || 'exclusiveMinimum' in field, `${id}.${name} lower bound`).toBe(true);
        expect('maximum' in field || 'exclusiveMaximum' in field, `${id}.${name} upper bound`).toBe(true);
      }
    }
    const sma = strategyParamsJsonSchema('sma-cross') as { properties: Record<string, Record<string, unknown>>; required?: string[] };
    expect(sma.properties.fast).toMatchObject({ type: 'integer', default: 10, minimum: 1, title: 'Fast SMA period' });
    expect(sma.properties.slow).toMatchObject({ type: 'integer', default: 30 });
    expect(sma.required ?? []).toEqual([]);
    expect((strategyParamsJsonSchema('grid') as { required: string[] }).required.sort()).toEqual(['lower', 'sizePerLevel', 'upper']);
  });

  it('creates fresh instances from a parsed config, and create() validates too', () => {
    const parsed = parseStrategyParams('sma-cross', { fast: 2, slow: 4 });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const config: StrategyConfig = parsed.value;
    const a = createStrategy(config, testInstrument());
    const b = createStrategy(config);
    expect(a).not.toBe(b);
    expect(a.params).toEqual({ fast: 2, slow: 4 });
    expect(runSignals(a, candlesFromCloses([10, 10, 10, 10, 12]), makeContext()).map((s) => s.intent.kind)).toEqual(['enter']);
    expect(() => strategies['sma-cross'].create({ fast: 5, slow: 5 })).toThrow(StrategyParamsError);
    try {
      strategies['grid'].create({ lower: 2, upper: 1, sizePerLevel: 1 });
    } catch (e) {
      expect(e).toBeInstanceOf(StrategyParamsError);
      expect((e as StrategyParamsError).code).toBe('STRATEGY_PARAMS_INVALID');
      expect((e as StrategyParamsError).message).toBe('grid: upper: upper (1) must be greater than lower (2)');
    }
    // A size the instrument cannot trade (lot 0.0001).
    expect(() => strategies['rsi-mean-reversion'].create({ size: 0.00001 }, testInstrument())).toThrow(/size \(0\.00001\) rounds down to 0/);
  });
});
