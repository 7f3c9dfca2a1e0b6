import type { UsageTotals } from '../events/types';

/** US dollars per million tokens. The one place prices live; `.munero/config.json` may override. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

function tier(input: number, output: number): ModelPrice {
  // Anthropic's published ratios: 5-minute cache writes 1.25x input, cache reads 0.1x input.
  return { input, output, cacheWrite: input * 1.25, cacheRead: input * 0.1 };
}

/** Matched by prefix of the model id, longest first. */
export const PRICE_TABLE: Record<string, ModelPrice> = {
  'claude-opus': tier(15, 75),
  'claude-opus-4-5': tier(5, 25),
  'claude-sonnet': tier(3, 15),
  'claude-haiku': tier(1, 5),
};

/** Used when a model matches nothing above, so a cap still means something. */
export const FALLBACK_PRICE: ModelPrice = tier(3, 15);

export function priceFor(model: string, overrides: Record<string, ModelPrice> = {}): ModelPrice {
  const table = { ...PRICE_TABLE, ...overrides };
  const key = Object.keys(table)
    .filter((prefix) => model.startsWith(prefix))
    .sort((a, b) => b.length - a.length)[0];
  return key ? table[key] : FALLBACK_PRICE;
}

export interface ApiUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

export function usageTotals(usage: ApiUsage, price: ModelPrice): UsageTotals {
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const costUsd =
    (usage.input_tokens * price.input +
      usage.output_tokens * price.output +
      cacheWrite * price.cacheWrite +
      cacheRead * price.cacheRead) /
    1_000_000;
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheWriteTokens: cacheWrite,
    cacheReadTokens: cacheRead,
    costUsd,
    requests: 1,
  };
}
