import { plural, type BuildManager } from '../core';
import { statusText } from './statusView';

export function printStatus(manager: BuildManager, json: boolean): number {
  const state = manager.status();
  if (json) {
    // The state document, with where the build's time and money went beside it.
    process.stdout.write(state ? JSON.stringify({ ...state, breakdown: manager.breakdown() }, null, 2) + '\n' : 'null\n');
    return 0;
  }
  process.stdout.write(statusText(manager.workspaceRoot, state, state ? manager.lockHolder() : undefined));
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
