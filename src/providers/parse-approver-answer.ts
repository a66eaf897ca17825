import { z } from 'zod';
import { findJsonObjects } from './find-json-objects.ts';

/** What an AI approver decided, or why its answer cannot be read. */
export type ApproverAnswer = { decision: 'approved' | 'rejected'; feedback: string } | { malformed: string };

const AnswerSchema = z.object({
  decision: z
    .string({ error: '"decision" is not a string' })
    .trim()
    .toLowerCase()
    .pipe(z.enum(['approved', 'rejected'], { error: '"decision" is neither "approved" nor "rejected"' })),
  feedback: z.string({ error: '"feedback" is not a string' }).optional(),
});

/**
 * Reads an AI approver's answer: the JSON object `APPROVER_ANSWER_INSTRUCTIONS` asks for, alone, in a code fence,
 * or with prose around it. `decision` is read case-insensitively, nothing else is guessed: an answer with no such
 * object, a `decision` other than approved or rejected, or objects that disagree is `malformed`, with the reason.
 */
export function parseApproverAnswer(text: string): ApproverAnswer {
  if (text.trim() === '') return { malformed: 'the answer was empty' };
  const candidates = findJsonObjects(text).filter((object) => 'decision' in object);
  if (candidates.length === 0) {
    return { malformed: `the answer holds no JSON object with a "decision" (it reads "${excerpt(text)}")` };
  }
  const answers: { decision: 'approved' | 'rejected'; feedback: string }[] = [];
  for (const candidate of candidates) {
    const parsed = AnswerSchema.safeParse(candidate);
    if (!parsed.success) {
      const reason = parsed.error.issues[0]?.message ?? 'the JSON object is not an answer';
      return { malformed: `${reason} in ${excerpt(JSON.stringify(candidate))}` };
    }
    answers.push({ decision: parsed.data.decision, feedback: parsed.data.feedback?.trim() ?? '' });
  }
  const [first] = answers;
  if (first === undefined || answers.some((answer) => answer.decision !== first.decision)) {
    return { malformed: 'the answer holds both an approval and a rejection' };
  }
  return first;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}
