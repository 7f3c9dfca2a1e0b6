import { describeLockHolder, describeRecovery, plural, shownBuildStatus, shownTaskStatus, type BuildManager } from '../core';
import { formatTokens } from './progress';

export function printStatus(manager: BuildManager, json: boolean): number {
  const state = manager.status();
  if (!state) {
    process.stdout.write(json ? 'null\n' : `No build in ${manager.workspaceRoot} yet. Start one with \`munero build <spec>\`.\n`);
    return 0;
  }
  if (json) {
    // The state document, with where the build's time and money went beside it.
    process.stdout.write(JSON.stringify({ ...state, breakdown: manager.breakdown() }, null, 2) + '\n');
    return 0;
  }
  const holder = manager.lockHolder();
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
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

export function printHistory(manager: BuildManager, json: boolean): number {
  const entries = manager.history();
  if (json) {
    for (const e of entries) process.stdout.write(JSON.stringify(e) + '\n');
    return 0;
  }
  if (entries.length === 0) {
    process.stdout.write(`No finished builds in ${manager.workspaceRoot} yet. Start one with \`munero build <spec>\`.\n`);
    return 0;
  }
  for (const e of entries) {
    process.stdout.write(
      `${e.endedAt}  ${e.buildId}  ${e.status.padEnd(9)} ${plural(e.iterations, 'iteration')}  $${e.usage.costUsd.toFixed(4)}  ${e.specPath}${e.unmet.length ? `  unmet: ${e.unmet.join(', ')}` : ''}\n`,
    );
  }
  return 0;
}
