// The model interface the Action's steps are written against: src/providers' types, and its functions as one
// injectable object.
import type { ApproverOptions, ApproverVerdict, ModelAnswer, ModelRequest } from '../providers/index.ts';

export type {
  ApproverOptions,
  ApproverVerdict,
  ModelAnswer,
  ModelProvider,
  ModelRequest,
  ModelUsage,
} from '../providers/index.ts';

/** What the Action needs of src/providers; injected, so the steps never import a network client themselves. */
export interface Models {
  callModel: (request: ModelRequest) => Promise<ModelAnswer>;
  askApprover: (request: ModelRequest, options?: ApproverOptions) => Promise<ApproverVerdict>;
  estimateTokens: (text: string) => number;
  redactSecrets: (text: string, env: Readonly<Record<string, string | undefined>>) => string;
}
