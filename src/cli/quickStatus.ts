import fs from 'node:fs';
import path from 'node:path';
import { StateDamagedError } from '../core/state/errors';
import { WorkspaceState } from '../core/state/workspaceState';
import { EXIT } from './exit';
import { statusText } from './statusView';

/**
 * `munero status` (text) without loading the whole CLI: Node spends about 0.3 s compiling the
 * full bundle, more than the command itself takes even at the end of a 5,000-turn build. Only the
 * plain case is handled here: `status` with at most `--workspace DIR` naming a folder. Anything
 * else, and any error but damaged state, answers undefined and the full CLI runs the command, so
 * usage errors get the one set of messages it has.
 */
export function quickStatus(args: string[]): number | undefined {
  const flag = workspaceFlag(args);
  if (flag === null) return undefined;
  const root = path.resolve(flag ?? '.');
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  const state = new WorkspaceState(fs.realpathSync(root));
  let text: string;
  try {
    const id = state.currentBuildId();
    const record = id ? state.openBuild(id) : undefined;
    try {
      text = statusText(state.workspaceRoot, record?.state, record ? state.lock.liveHolder() : undefined);
    } finally {
      record?.close();
    }
  } catch (err) {
    // Reading may already have moved a damaged file aside, so the full CLI could no longer tell
    // what was wrong: this one kind of error is reported here, as the full CLI reports it.
    if (!(err instanceof StateDamagedError)) return undefined;
    process.stderr.write(`munero status: ${err.message}\n`);
    return EXIT.usage;
  } finally {
    // What was repaired on the way is said here: the full CLI, if it runs next, finds it repaired.
    for (const note of state.takeNotes()) process.stderr.write(`munero status: note: ${note}\n`);
  }
  process.stdout.write(text);
  return 0;
}

/** The --workspace value; undefined when not given; null when the arguments hold anything else. */
function workspaceFlag(args: string[]): string | undefined | null {
  if (args.length === 0) return undefined;
  if (args.length === 1 && args[0].startsWith('--workspace=')) return args[0].slice('--workspace='.length) || null;
  if (args.length === 2 && args[0] === '--workspace' && args[1] && !args[1].startsWith('-')) return args[1];
  return null;
}
