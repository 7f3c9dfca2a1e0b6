import { describeRecovery, shownBuildStatus, shownTaskStatus } from '../core/build/shownStatus';
import { plural } from '../core/plural';
import type { BuildState } from '../core/state/buildState';
import { describeLockHolder, type LockInfo } from '../core/state/errors';

/**
 * `munero status` as text. Imports only state-reading parts of core, so the quick status bundle
 * (quickStatus.ts) that prints it stays small.
 */
export function statusText(workspaceRoot: string, state: BuildState | undefined, holder: LockInfo | undefined): string {
  if (!state) return `No build in ${workspaceRoot} yet. Start one with \`munero build <spec>\`.\n`;
  const recovery = describeRecovery(state);
  const u = state.usage;
  const lines = [
    `Build ${state.id}: ${shownBuildStatus(state, Boolean(holder))}`,
    ...(recovery ? [`  ${recovery}`] : []),
    `  spec ${state.specPath}, model ${state.options.model}, iteration ${state.iteration} of ${state.options.maxIterations}`,
    `  ${plural(u.requests, 'request')}, ${formatTokens(u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens)} tokens, $${u.costUsd.toFixed(4)}`,
    'Tasks:',
    ...(state.plan?.tasks ?? []).map((t) => {
      const ts = state.tasks[t.id];
      return `  ${t.id} ${ts ? shownTaskStatus(state, ts.status, Boolean(holder)) : 'pending'}${ts?.attempts ? ` (${plural(ts.attempts, 'attempt')})` : ''}: ${t.title}`;
    }),
    'Requirements:',
    ...state.requirements.map((r) => `  ${r.id} ${r.verdict}${r.reason ? ` — ${r.reason}` : ''}`),
    `Checkpoints: ${['start', ...state.checkpoints].join(', ')}`,
    ...(holder ? [`Running: ${describeLockHolder(holder)}. Follow it with \`munero watch\`.`] : []),
  ];
  return lines.join('\n') + '\n';
}

export function formatTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
