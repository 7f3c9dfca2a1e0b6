import { plural, type MuneroEvent } from '../core';

/** The line a build's progress notification shows for an event, if any. */
export function progressLine(e: MuneroEvent): string | undefined {
  switch (e.type) {
    case 'plan.accepted':
      return `plan: ${plural(e.tasks.length, 'task')}`;
    case 'task.started':
      return `${e.taskId}: attempt ${e.attempt}`;
    case 'agent.state':
      return e.step === 'thinking' || e.step === 'acting' ? `${e.agentId} ${e.step}${e.detail ? ` ${e.detail}` : ''}` : undefined;
    case 'validation.started':
      return `checking ${e.scope}`;
    case 'retry':
      return `model busy; retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(0)} s`;
    default:
      return undefined;
  }
}
