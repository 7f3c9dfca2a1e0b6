import { describeLockHolder, type BuildManager, type BuildOutcome, type BuildResult } from '../core';
import { ProgressView, type OutputMode } from './progress';

/** Exit codes of `munero watch`: the watched build's, as `munero build` would have ended. */
const EXIT_OF: Record<BuildOutcome, number> = { verified: 0, unmet: 1, failed: 1, paused: 1, cancelled: 130 };
const STOPPED_WATCHING = 130;

/**
 * `munero watch`: prints the progress of the build another process (a terminal, a VS Code window)
 * runs in this workspace, from the start of its current run until it ends; exits as that build did.
 * Ctrl-C stops watching, never the build.
 */
export async function watchCommand(manager: BuildManager, mode: OutputMode, printSummary: (result: BuildResult) => void): Promise<number> {
  const holder = manager.lockHolder();
  const notes = mode === 'json' ? process.stderr : process.stdout;
  if (!holder) return reportIdle(manager, notes);
  notes.write(`Watching ${describeLockHolder(holder)}. Ctrl-C stops watching; the build goes on.\n`);
  const view = new ProgressView(mode);
  const subscription = manager.bus.events$.subscribe((e) => view.onEvent(e));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const end = await manager.watch({ signal: stop.signal });
    switch (end.kind) {
      case 'idle':
        return reportIdle(manager, notes);
      case 'stopped':
        notes.write(`Stopped watching; build ${end.buildId} goes on (pid ${end.holder.pid}).\n`);
        return STOPPED_WATCHING;
      case 'gone':
        notes.write(
          `The process running build ${end.buildId} (pid ${end.holder.pid}) ended without finishing it. ` +
            'Continue it with `munero resume`, or see where it stopped with `munero status`.\n',
        );
        return EXIT_OF.unmet;
      case 'finished': {
        const state = manager.status();
        if (mode !== 'json' && state?.id === end.buildId) printSummary({ buildId: state.id, outcome: end.outcome, reason: end.summary, requirements: state.requirements, unmet: end.unmet, usage: state.usage });
        return EXIT_OF[end.outcome];
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    subscription.unsubscribe();
  }
}

/** Nothing runs: say so, and exit as the workspace's last build ended (so `watch` after the end still tells the result). */
function reportIdle(manager: BuildManager, out: NodeJS.WritableStream): number {
  const state = manager.status();
  if (!state) {
    out.write(`No Munero build is running in ${manager.workspaceRoot}, and none ran before. Start one with \`munero build <spec>\`.\n`);
    return 0;
  }
  const ended = state.status !== 'running';
  out.write(
    `No Munero build is running in ${manager.workspaceRoot}. The last one, ${state.id}, ` +
      (ended ? `ended ${state.status}${state.stopReason ? ` — ${state.stopReason}` : ''}.\n` : 'was interrupted; continue it with `munero resume`.\n'),
  );
  return ended ? EXIT_OF[state.status as BuildOutcome] ?? 1 : EXIT_OF.unmet;
}
