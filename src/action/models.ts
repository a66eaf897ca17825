import { estimateTokens } from '../providers/estimate-tokens.ts';
import type { ApproverOptions, ApproverVerdict, ModelAnswer, ModelRequest } from '../providers/index.ts';
import { redactSecrets } from '../providers/redact-secrets.ts';
import type { Models } from './model-types.ts';

/**
 * The real model providers (src/providers), as the Action's runner passes them in. The SDK behind `callModel` and
 * `askApprover` is loaded on the first call only: most steps end before any model is asked (a stale dispatch, a
 * prompt, a failure), and they start faster without it.
 */
export const providerModels: Models = {
  callModel: async (request: ModelRequest): Promise<ModelAnswer> =>
    (await import('../providers/call-model.ts')).callModel(request),
  askApprover: async (request: ModelRequest, options?: ApproverOptions): Promise<ApproverVerdict> =>
    (await import('../providers/ask-approver.ts')).askApprover(request, options),
  estimateTokens,
  redactSecrets,
};
