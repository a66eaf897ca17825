// The model interface of src/providers, as the Action uses it. Until src/providers is in the tree these are
// declared here with the same shapes; the runner passes the real functions in.
import type { Provider } from '../core/schema/provider.ts';

export type ModelProvider = Exclude<Provider, { use: 'command' }>;

export interface ModelUsage {
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
}

export interface ModelRequest {
  name: string;
  provider: ModelProvider;
  system?: string;
  prompt: string;
  env: Readonly<Record<string, string | undefined>>;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ModelAnswer {
  text: string;
  usage: ModelUsage;
  model: string;
}

export interface ApproverVerdict {
  decision: 'approved' | 'rejected';
  feedback: string;
  usage: ModelUsage;
  malformed?: string;
}

/** What the Action needs of src/providers; injected, so the steps never import a network client themselves. */
export interface Models {
  callModel: (request: ModelRequest) => Promise<ModelAnswer>;
  askApprover: (request: ModelRequest) => Promise<ApproverVerdict>;
  estimateTokens: (text: string) => number;
  redactSecrets: (text: string, env: Readonly<Record<string, string | undefined>>) => string;
}
