import { describeEvent, plural, type MuneroEvent } from '../../core';
import type { TimelineEntry } from '../protocol';

export type Level = TimelineEntry['level'];

/** The timeline line for an event worth one, or undefined (streamed text, usage, agent steps). */
export function timelineLine(e: MuneroEvent): { text: string; level: Level } | undefined {
  switch (e.type) {
    case 'build.started':
      return info(`${e.resumed ? 'Resumed' : 'Started'} build ${e.buildId} (${plural(e.requirementIds.length, 'requirement')})`);
    case 'build.finished': {
      const unmet = e.unmet.length ? ` Unmet: ${e.unmet.join(', ')}.` : '';
      return { text: `Build ${e.outcome}: ${e.summary}${unmet}`, level: OUTCOME_LEVEL[e.outcome] };
    }
    case 'plan.accepted':
      return info(`Plan v${e.version} accepted: ${plural(e.tasks.length, 'task')}`);
    case 'plan.rejected':
      return { text: `Plan rejected (submission ${e.attempt}): ${e.errors.join(' ')}`, level: 'warn' };
    case 'iteration.started':
      return info(`Iteration ${e.iteration} started`);
    case 'iteration.finished':
      return e.passed ? { text: `Iteration ${e.iteration} passed`, level: 'success' } : { text: `Iteration ${e.iteration} did not pass`, level: 'warn' };
    case 'task.finished': {
      const level: Level = e.status === 'done' ? 'success' : e.status === 'failed' ? 'error' : e.status === 'blocked' ? 'warn' : 'info';
      return { text: `${e.taskId} ${e.status}${e.reason ? `: ${e.reason}` : ''}`, level };
    }
    case 'tool.called':
      return info(`${e.agentId} → ${e.tool} ${e.summary}`);
    case 'tool.result':
      return e.ok ? undefined : { text: `${e.agentId}: ${e.tool} failed: ${e.summary}`, level: 'warn' };
    case 'change.applied':
      return info(`${e.created ? 'Created' : 'Changed'} ${e.path}`);
    case 'validation.started':
      return info(`Running checks (${e.scope}): ${e.checks.join(', ') || 'none'}`);
    case 'validation.finished': {
      if (!e.checks.length) return { text: `Checks (${e.scope}): none configured`, level: 'warn' };
      const passed = e.checks.filter((c) => c.passed).length;
      return { text: `Checks (${e.scope}): ${passed}/${e.checks.length} passed`, level: e.passed ? 'success' : 'error' };
    }
    case 'retry':
      return { text: `Model request failed (${e.reason}); retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s`, level: 'warn' };
    case 'log':
      return { text: e.message, level: e.level };
    case 'budget':
      return { text: describeEvent(e)!, level: 'warn' };
    case 'review':
      return { text: describeEvent(e)!.trim(), level: e.approved ? 'success' : 'warn' };
    case 'plan.revised':
    case 'reflection':
    case 'learning':
    case 'requirement.verdict':
      return info(describeEvent(e)!.trim());
    default:
      return undefined;
  }
}

const OUTCOME_LEVEL: Record<Extract<MuneroEvent, { type: 'build.finished' }>['outcome'], Level> = {
  verified: 'success',
  unmet: 'warn',
  paused: 'info',
  cancelled: 'warn',
  failed: 'error',
};

function info(text: string): { text: string; level: Level } {
  return { text, level: 'info' };
}
