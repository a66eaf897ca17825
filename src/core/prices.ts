import type { Provider } from './schema/provider.ts';

/** US dollars per million tokens, in and out. */
export interface Price {
  input_per_mtok: number;
  output_per_mtok: number;
}

/**
 * List prices of the models the bundled example workflows use, per million tokens. They serve `flowgate simulate`
 * and budget estimates; a provider's own `price` overrides them, and a model missing here costs nothing until its
 * provider sets one.
 */
export const PRICES: Readonly<Record<string, Price>> = {
  'claude-sonnet-4-5': { input_per_mtok: 3, output_per_mtok: 15 },
  'gpt-5-mini': { input_per_mtok: 0.25, output_per_mtok: 2 },
  'gemini-2.5-pro': { input_per_mtok: 1.25, output_per_mtok: 10 },
  /** A local model served by Ollama: free to run. */
  'qwen3:14b': { input_per_mtok: 0, output_per_mtok: 0 },
};

const FREE: Price = { input_per_mtok: 0, output_per_mtok: 0 };

/** The price of a provider's calls: its own `price`, else the table's price of its model, else free. */
export function priceOf(provider: Provider | undefined): Price {
  if (provider === undefined || provider.use === 'command') return FREE;
  return provider.price ?? PRICES[provider.model] ?? FREE;
}

/** The cost in US dollars of a call, rounded to millionths of a dollar as the engine adds them. */
export function costOf(price: Price, tokensIn: number, tokensOut: number): number {
  const usd = (tokensIn * price.input_per_mtok + tokensOut * price.output_per_mtok) / 1_000_000;
  return Math.round(usd * 1e6) / 1e6;
}
