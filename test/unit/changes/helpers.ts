import fs from 'node:fs';
import path from 'node:path';
import { ChangeSet, type ChangeReview } from '../../../src/core/changes/changeSet';
import { EventBus } from '../../../src/core/events/bus';
import type { BuildState } from '../../../src/core/state/buildState';
import { WorkspaceState, type BuildRecord } from '../../../src/core/state/workspaceState';
import { tempDir, writeTree } from '../tools/helpers';

export { tempDir, writeTree };

/** A real build record in a real workspace, as far as the changes layer needs one. */
export function makeBuild(root: string, buildId = 'b-test'): BuildRecord {
  const initial = { id: buildId, specPath: path.join(root, 'SPEC.md'), status: 'paused', checkpoints: [] } as unknown as BuildState;
  return new WorkspaceState(root).createBuild(initial);
}

export function changeSetFor(record: BuildRecord, root: string, review?: (changes: ChangeSet) => ChangeReview): ChangeSet {
  const changes = new ChangeSet(record, root, new EventBus());
  if (review) changes.attachReview(review(changes));
  return changes;
}

/** Approve mode where every proposal lands as written, after `during` runs (what happens while the user looks). */
export function approveAll(during: () => void = () => {}): (changes: ChangeSet) => ChangeReview {
  return (changes) => ({
    mode: () => 'approve',
    hasProposal: () => false,
    noteApplied: () => {},
    awaitApproval: async (change, _before, after) => {
      during();
      changes.landApproved(change, Buffer.from(after), 'accepted');
      return { changeId: change.id, status: 'applied' };
    },
  });
}

/** Writes files through the changes layer, as a coder agent's write_file calls do. */
export async function agentWrites(changes: ChangeSet, files: Record<string, string>, agentId = 'coder-1'): Promise<void> {
  const sink = changes.sinkFor({ agentId, taskId: 'T1' });
  for (const [rel, content] of Object.entries(files)) {
    const result = await sink.propose({ path: rel, content, tool: 'write_file' });
    if (result.status !== 'applied') throw new Error(`${rel}: ${result.status} ${result.reason ?? ''}`);
  }
}

export function read(root: string, rel: string): string | undefined {
  const abs = path.join(root, rel);
  return fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
}
