/**
 * The work a webhook delivery asks for (a reconcile of its subject, the check of the workflow files), carried out
 * either before the delivery is answered (`awaitWork`: for serverless platforms, which may freeze a function once
 * it has answered) or after (the default of `npm start`: GitHub gets its answer within milliseconds, whatever the
 * work costs, and a slow GitHub or Octokit's spacing of writes never nears GitHub's 10-second delivery timeout).
 *
 * Work started after the answer keeps its order and serialisation: the caller's task takes the subject lock as it
 * would when awaited. A task that fails is logged, never thrown at the webhook. Work accepted but lost with the
 * process (a crash after the answer) is redone by the next delivery on its subject or by the catch-up scan of the
 * timers (docs/app.md, "How deliveries are answered").
 */
export class DeliveryWork {
  readonly awaitWork: boolean;
  readonly #pending = new Set<Promise<void>>();
  readonly #log: (message: string) => void;

  constructor(options: { awaitWork: boolean; log: (message: string) => void }) {
    this.awaitWork = options.awaitWork;
    this.#log = options.log;
  }

  /**
   * Runs `task` for the delivery described by `what`: resolves when the task has finished (`awaitWork`), or at once
   * with the task still running. Either way the task's failure is logged and not thrown.
   */
  async accept(what: string, task: () => Promise<void>): Promise<void> {
    const running = (async () => {
      try {
        await task();
      } catch (error) {
        this.#log(
          `${what}: the work could not be done: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    })();
    this.#pending.add(running);
    void running.then(() => this.#pending.delete(running));
    if (this.awaitWork) await running;
  }

  /** How many accepted tasks are still running. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Waits until every accepted task has finished, or `ms` has passed (a stopping process gives its work a grace
   * period); true when nothing is left running.
   */
  async drain(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.#pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...this.#pending]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, left);
        }),
      ]);
      clearTimeout(timer);
    }
    return true;
  }
}
