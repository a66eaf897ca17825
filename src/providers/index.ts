/**
 * AI model providers: one call interface over Anthropic, OpenAI, Google and OpenAI-compatible servers (built on
 * the Vercel AI SDK), an AI approver on top of it, and the helpers callers need for budgets and logs.
 */
export { type ApproverOptions, type ApproverVerdict, askApprover } from './ask-approver.ts';
export { callModel } from './call-model.ts';
export { estimateTokens } from './estimate-tokens.ts';
export { ProviderError } from './provider-error.ts';
export { redactSecrets } from './redact-secrets.ts';
export type { ModelAnswer, ModelProvider, ModelRequest, ModelUsage } from './types.ts';
