import type { Requirement } from '../spec';
import type { PlanTask } from '../state/buildState';

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
- Write automated tests for the requirements your task serves, then run the project's test command with run_command and fix what fails.
- Only commands allowed by the workspace policy can run; a refusal tells you which are allowed.
- When the task is done and its tests pass, call task_complete with a one-paragraph summary of what you changed.`;

export function plannerBrief(requirements: Requirement[], outline: string, testCommand: string | undefined): string {
  const reqs = requirements.map((r) => {
    const criteria = r.acceptance.length ? `\n  Acceptance criteria:\n${r.acceptance.map((a) => `  - ${a}`).join('\n')}` : '';
    return `- ${r.id}: ${r.text}${criteria}`;
  });
  return [
    `Requirements:\n${reqs.join('\n')}`,
    `Workspace outline:\n${outline}`,
    `Test command: ${testCommand ?? '(none configured yet; the plan may create package.json with a test script)'}`,
    'Plan the work and call submit_plan.',
  ].join('\n\n');
}

export function coderBrief(task: PlanTask, requirements: Requirement[], allowedCommands: string[], previousFailure?: string): string {
  const served = requirements.filter((r) => task.requirements.includes(r.id));
  const parts = [
    `Task ${task.id}: ${task.title}`,
    task.description,
    `Requirements served:\n${served.map((r) => `- ${r.id}: ${r.text}${r.acceptance.length ? ` (acceptance: ${r.acceptance.join('; ')})` : ''}`).join('\n')}`,
  ];
  if (task.files.length) parts.push(`Files you are expected to touch: ${task.files.join(', ')}`);
  parts.push(`Commands you may run: ${allowedCommands.length ? allowedCommands.join(', ') : '(none)'}`);
  if (previousFailure) {
    parts.push(`An earlier attempt at this task did not pass the checks. The files already hold that attempt's changes. What failed:\n${previousFailure}`);
  }
  return parts.join('\n\n');
}
