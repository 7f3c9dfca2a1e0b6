import type { Requirement } from '../spec';
import type { PlanTask, Reflection } from '../state/buildState';

// System prompts are constants: byte-for-byte stable across turns, so the prompt cache holds them.

export const PLANNER_SYSTEM = `You are the planner of Munero, a spec-driven coding agent.
You receive a spec's requirements (each with a stable id) and an outline of the workspace.
Break the work into a small plan of concrete coding tasks that together satisfy every requirement.

Rules:
- Each task has a short id (T1, T2, …), a title, a description precise enough for a developer who has not seen the spec, the ids of the requirements it serves, the ids of tasks it depends on, and the files it expects to touch.
- Every requirement must be served by at least one task. Dependencies must form a DAG.
- Each task includes writing or updating the automated tests that prove its requirements, using the project's test command.
- Prefer 3–8 tasks. Do not plan work the requirements do not ask for.
Submit the plan by calling submit_plan exactly once. If it is refused, fix every problem listed and call it again.`;

export const CODER_SYSTEM = `You are a coder agent of Munero, a spec-driven coding agent.
You carry out one task of a plan in the user's workspace, using only the tools provided.

How to work:
- Read before you write: list_files and read_file to learn what exists. Keep changes focused on your task.
- write_file creates or replaces a whole file; edit_file replaces one exact, unique snippet. Paths are relative to the workspace root.
- Write automated tests for the requirements your task serves, and name the requirement id in each test's name (test('R2: fromRoman rejects IIII', …), it('FR-003: …')) or in a // R2 comment in its file: a requirement counts as verified only when a passing test names it. Then run the project's test command with run_command and fix what fails.
- Only commands allowed by the workspace policy can run; a refusal tells you which are allowed.
- When the task is done and its tests pass, call task_complete with a one-paragraph summary of what you changed.`;

export const REFLECTOR_SYSTEM = `You are the reflector of Munero, a spec-driven coding agent.
A coder agent attempted a task and the project's checks failed. You get the task, the failure, the change that was tried and earlier reflections on the same task.
Find the root cause (not the symptom), state one general lesson that would have avoided it, and choose what happens next:
- retry: the approach is sound; the coder tries again with your lesson.
- split: the task is too big to get right in one go; it should become smaller tasks.
- replan: the plan itself is wrong (a missing prerequisite task, a wrong order, a task that duplicates another).
- escalate: a person must decide (the requirement is contradictory or impossible, or attempts keep failing the same way).
Answer by calling submit_reflection once.`;

export const REVIEWER_SYSTEM = `You are the reviewer of Munero, a spec-driven coding agent.
A coder agent says its task is done. Check the change against the text of the requirements it serves: is every requirement and acceptance criterion met, are there tests that exercise them, is anything obviously wrong?
You may read files. Then call submit_review once: approve, or reject with concrete reasons the coder can act on. Do not reject for style alone.`;

export function plannerBrief(requirements: Requirement[], outline: string, testCommand: string | undefined): string {
  const reqs = requirements.map((r) => {
    const criteria = r.criteria.length ? `\n  Acceptance criteria:\n${r.criteria.map((c) => `  - ${c.id}: ${c.text}`).join('\n')}` : '';
    return `- ${r.id}: ${r.text}${criteria}`;
  });
  return [
    `Requirements:\n${reqs.join('\n')}`,
    `Workspace outline:\n${outline}`,
    `Test command: ${testCommand ?? '(none configured yet; the plan may create package.json with a test script)'}`,
    'Plan the work and call submit_plan.',
  ].join('\n\n');
}

/**
 * The spec's own tasks (its tasks.md) as the plan's starting point: those that name requirements
 * are kept as written; the planner gives the others their requirements and fills the gaps.
 */
export function writtenTasksBrief(tasks: PlanTask[], unserved: string[]): string {
  const list = tasks.map((t) => `- ${t.id}: ${t.title} (serves ${t.requirements.join(', ') || 'nothing named'}; after ${t.depends_on.join(', ') || 'nothing'})${t.description ? `: ${t.description.replace(/\n/g, ' ')}` : ''}`);
  return [
    `The spec's tasks.md already plans this work:\n${list.join('\n')}`,
    'Keep every task that serves named requirements exactly as it is (same id, title and requirements). Give the tasks that name none the requirements they serve, or drop them if they serve none.' +
      (unserved.length ? ` Add tasks only for the requirements no task serves: ${unserved.join(', ')}.` : ''),
  ].join('\n\n');
}

/** A requirement's criteria with their ids, for a brief: ` (acceptance: R1.1 ...; R1.2 ...)`. */
function acceptanceOf(r: Requirement): string {
  return r.criteria.length ? ` (acceptance: ${r.criteria.map((c) => `${c.id} ${c.text}`).join('; ')})` : '';
}

export interface AttemptContext {
  previousFailure?: string;
  /** The newest reflections on this task, already bounded. */
  reflections?: Reflection[];
  /** Lessons from the learning database, already bounded. */
  lessons?: string[];
  /** An earlier verified solution to a similar task, already bounded (loop/solutionReference.ts). */
  reference?: string;
}

export function coderBrief(task: PlanTask, requirements: Requirement[], allowedCommands: string[], context: AttemptContext = {}): string {
  const { previousFailure } = context;
  const served = requirements.filter((r) => task.requirements.includes(r.id));
  const parts = [
    `Task ${task.id}: ${task.title}`,
    task.description,
    `Requirements served:\n${served.map((r) => `- ${r.id}: ${r.text}${acceptanceOf(r)}`).join('\n')}`,
  ];
  if (task.files.length) parts.push(`Files you are expected to touch: ${task.files.join(', ')}`);
  parts.push(`Commands you may run: ${allowedCommands.length ? allowedCommands.join(', ') : '(none)'}`);
  if (previousFailure) {
    parts.push(`An earlier attempt at this task did not pass the checks. The files already hold that attempt's changes. What failed:\n${previousFailure}`);
  }
  if (context.reflections?.length) {
    parts.push(`Reflections on earlier attempts (newest last):\n${context.reflections.map((r) => `- attempt ${r.attempt}: ${r.root_cause} Lesson: ${r.lesson}`).join('\n')}`);
  }
  if (context.lessons?.length) {
    parts.push(`Lessons learnt from similar failures in this workspace:\n${context.lessons.map((l) => `- ${l}`).join('\n')}`);
  }
  if (context.reference) parts.push(context.reference);
  return parts.join('\n\n');
}

export function reflectorBrief(task: PlanTask, attempt: number, failure: string, change: string, earlier: Reflection[]): string {
  const parts = [
    `Task ${task.id}: ${task.title}\n${task.description}`,
    `Attempt ${attempt} failed:\n${failure}`,
    `The change that was tried:\n${change || '(no files were changed)'}`,
  ];
  if (earlier.length) parts.push(`Earlier reflections on this task:\n${earlier.map((r) => `- attempt ${r.attempt} (${r.next_action}): ${r.root_cause} Lesson: ${r.lesson}`).join('\n')}`);
  parts.push(`Call submit_reflection with task_id "${task.id}".`);
  return parts.join('\n\n');
}

export function reviewerBrief(task: PlanTask, requirements: Requirement[], change: string, summary: string): string {
  const served = requirements.filter((r) => task.requirements.includes(r.id));
  return [
    `Task ${task.id}: ${task.title}\n${task.description}`,
    `Requirements it serves:\n${served.map((r) => `- ${r.id}: ${r.text}${acceptanceOf(r)}`).join('\n')}`,
    `The coder's summary: ${summary}`,
    `The change:\n${change || '(no files were changed)'}`,
    'Review it and call submit_review.',
  ].join('\n\n');
}

export function replanBrief(requirements: Requirement[], current: { task: PlanTask; status: string }[], reason: string, action: 'split' | 'replan'): string {
  const reqs = requirements.map((r) => `- ${r.id}: ${r.text}`).join('\n');
  const plan = current.map(({ task, status }) => `- ${task.id} [${status}] ${task.title} (serves ${task.requirements.join(', ')}; after ${task.depends_on.join(', ') || 'nothing'}): ${task.description}`).join('\n');
  const ask =
    action === 'split'
      ? 'Split the failing task into smaller tasks with new ids, and make the tasks that depended on it depend on the new ones.'
      : 'Revise the plan: add the missing tasks (for example a fix task), reorder by dependencies, drop tasks made redundant.';
  return [
    `Requirements:\n${reqs}`,
    `The current plan:\n${plan}`,
    `Why it must change: ${reason}`,
    `${ask} Keep every task marked [done] exactly as it is (same id, title and requirements). Submit the whole revised plan with submit_plan.`,
  ].join('\n\n');
}
