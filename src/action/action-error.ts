/** Where in a file a problem is, for a GitHub annotation. */
export interface Annotation {
  message: string;
  file: string;
  line: number;
  col: number;
}

/** A failure the Action reports as it is: its message is written for the people reading the failure output. */
export class ActionError extends Error {
  override name = 'ActionError';
  /** Problems in files (the workflow definition), shown as annotations on the Actions run. */
  readonly annotations: readonly Annotation[];

  constructor(message: string, annotations: readonly Annotation[] = []) {
    super(message);
    this.annotations = annotations;
  }
}

/**
 * The Action wrote as someone whose outputs it does not read (a token other than the workflow's GITHUB_TOKEN, without
 * `github-token-login`): no run could ever take an output, so the job stops at once rather than fail item by item.
 */
export class WriterMismatch extends ActionError {
  override name = 'WriterMismatch';
}

/** Anything thrown, as an Error: a thrown string or object becomes an Error with its text. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}
