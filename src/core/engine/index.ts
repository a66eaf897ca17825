export type { EngineContext } from './context.ts';
export type { Effect } from './effects.ts';
export type { Actor, EngineEvent, EventOf } from './events.ts';
export { statusLine } from './status-line.ts';
export { type StepResult, startRun, step } from './step.ts';
