import fs from 'node:fs';
import path from 'node:path';
import { AUTO_ACCEPT, ChangeSet, type ReviewPolicy } from '../../../src/core/changes/changeSet';
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

export function changeSetFor(record: BuildRecord, root: string, policy: ReviewPolicy = AUTO_ACCEPT): ChangeSet {
  return new ChangeSet(record, root, policy, new EventBus());
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
