import * as core from '@actions/core';

/** Writes `text` under a "flowgate" heading to the job's step summary, when the runner gives one; never throws. */
export async function stepSummary(text: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary
    .addHeading('flowgate', 3)
    .addRaw(text, true)
    .write()
    .catch(() => undefined);
}
