import type { MuneroEvent } from './types';
import { plural } from '../plural';

/** One human line for an event worth a line; undefined for the rest (streamed text, usage ticks). */
export function describeEvent(e: MuneroEvent): string | undefined {
  switch (e.type) {
    case 'build.started':
      return `${e.resumed ? 'Resuming' : 'Starting'} build ${e.buildId}: ${plural(e.requirementIds.length, 'requirement')} from ${e.specPath}`;
    case 'plan.accepted':
      return `Plan v${e.version}: ${e.tasks.map((t) => `${t.id} ${t.title}`).join('; ')}`;
    case 'plan.revised':
      return `Plan v${e.version} (${e.reason}): ${[e.added.length ? `added ${e.added.join(', ')}` : '', e.removed.length ? `removed ${e.removed.join(', ')}` : '', e.changed.length ? `changed ${e.changed.join(', ')}` : ''].filter(Boolean).join('; ') || 'no change'}`;
    case 'reflection':
      return `  ${e.taskId}: reflection on attempt ${e.attempt} → ${e.nextAction}: ${e.rootCause} Lesson: ${e.lesson}`;
    case 'review':
      return `  ${e.taskId}: reviewer ${e.approved ? 'approved' : 'sent it back'}: ${e.reasons}`;
    case 'learning':
      return `  learning: ${e.message}`;
    case 'budget':
      return `Budget: ${e.message}`;
    case 'requirement.verdict':
      return `  ${e.id}: ${e.verdict}${e.verifiedBy ? ` by ${e.verifiedBy}` : e.reason ? ` (${e.reason})` : ''}`;
    case 'plan.rejected':
      return `Plan refused (submission ${e.attempt}): ${e.errors.join(' ')}`;
    case 'iteration.started':
      return `Iteration ${e.iteration}`;
    case 'task.started':
      return `  ${e.taskId}: attempt ${e.attempt}`;
    case 'task.finished':
      return `  ${e.taskId}: ${e.status}${e.reason ? ` (${e.reason})` : ''}`;
    case 'review.changed':
      return `  review: ${plural(e.pendingCount, 'hunk')} ${e.pendingCount === 1 ? 'awaits' : 'await'} your decision${e.paths.length ? ` (${e.paths.join(', ')})` : ''}`;
    case 'change.applied':
      return `    ${e.created ? 'created' : 'changed'} ${e.path}`;
    case 'judge.frozen':
      return e.later
        ? `Judge: ${e.checks.map((c) => `${c.name} \`${c.run}\``).join(', ')} frozen after its first run (${e.later})`
        : `Judge frozen: ${e.checks.map((c) => `${c.name} \`${c.run}\` (${c.source})`).join('; ') || 'no check yet'}; ${plural(e.testFiles, 'test file')} recorded`;
    case 'test.flagged':
      return e.kind === 'config'
        ? `the judge's configuration ${e.file} was changed${e.taskId ? ` by ${e.taskId}` : ''} (${e.change}); the requirements stay unverified until you approve`
        : `test ${e.file} was ${e.kind === 'changed' ? 'changed' : 'weakened'}${e.taskId ? ` by ${e.taskId}` : ''} (${e.change}); what it covers stays unverified until you approve`;
    case 'test.approved':
      return `  test change to ${e.file} approved (${e.by === 'user' ? 'by you' : '--allow-test-changes'})`;
    case 'validation.finished':
      return `  checks for ${e.scope}: ${e.checks.map((c) => `${c.name} ${c.passed ? 'passed' : `failed (exit ${c.exitCode})`}`).join(', ') || 'none configured'}`;
    case 'retry':
      return `  model request failed (${e.reason}); retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s`;
    case 'mcp.server':
      return e.state === 'failed' ? `warn: MCP server ${e.server} failed: ${e.error ?? 'no message'}` : e.state === 'ready' ? `  MCP server ${e.server} ready (${plural(e.tools, 'tool')})` : undefined;
    case 'log':
      return `${e.level === 'info' ? '' : `${e.level}: `}${e.message}`;
    case 'build.finished':
      return `Build ${e.outcome}: ${e.summary}`;
    default:
      return undefined;
  }
}
