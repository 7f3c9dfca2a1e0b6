import type { BuildRecord } from '../state/workspaceState';

/**
 * Keeps what the user said in review for the task's agent. A task already done is opened again,
 * while its build can still go on, so it gets another attempt within its limits.
 */
export function addReviewFeedback(record: BuildRecord, taskId: string | undefined, text: string): void {
  if (!taskId || !record.state.tasks?.[taskId]) return;
  const resumable = ['running', 'paused', 'cancelled'].includes(record.state.status);
  record.update((s) => {
    const t = s.tasks[taskId];
    t.reviewFeedback = [...(t.reviewFeedback ?? []), text];
    if (t.status === 'done' && resumable) t.status = 'pending';
  });
}

/** The feedback waiting for the task's agent, as one message, cleared once taken. */
export function takeReviewFeedback(record: BuildRecord, taskId: string): string | undefined {
  const waiting = record.state.tasks[taskId]?.reviewFeedback;
  if (!waiting?.length) return undefined;
  record.update((s) => {
    s.tasks[taskId].reviewFeedback = undefined;
  });
  return `The user reviewed your changes:\n${waiting.map((w) => `- ${w}`).join('\n')}\nThe files hold what the user kept; read them again before building on them, and do not redo what they undid unless you change the approach as they asked.`;
}
