import { fileURLToPath } from 'node:url';

/** The project's real candle files (packages/market-data/data/candles, see its PROVENANCE.md). */
export const CANDLES_DIR = fileURLToPath(new URL('../../../market-data/data/candles/', import.meta.url));
