import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChangeSink, ProposalResult, ProposedWrite } from '../../../src/core/changes/types';
import { CommandRunner } from '../../../src/core/tools/commandRunner';
import { DEFAULT_TOOL_LIMITS, type ToolContext, type ToolLimits } from '../../../src/core/tools/types';

/** A changes layer stand-in: applies writes to disk, keeps them pending, or rejects them. */
export class MemoryChangeSink implements ChangeSink {
  readonly proposals: ProposedWrite[] = [];
  readonly pending = new Map<string, string>();
  mode: 'apply' | 'pending' | 'reject' = 'apply';

  constructor(private readonly root: string) {}

  async propose(write: ProposedWrite): Promise<ProposalResult> {
    this.proposals.push(write);
    const changeId = `c${this.proposals.length}`;
    if (this.mode === 'reject') return { changeId, status: 'rejected', reason: 'the reviewer said no' };
    if (this.mode === 'pending') {
      this.pending.set(write.path, write.content);
      return { changeId, status: 'pending' };
    }
    const abs = path.join(this.root, write.path);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, write.content);
    return { changeId, status: 'applied' };
  }

  readonly reads: string[] = [];

  noteRead(p: string): void {
    this.reads.push(p);
  }

  pendingContent(p: string): string | undefined {
    return this.pending.get(p);
  }
}

/** A fresh real temp directory (symlinks resolved), removed by the returned cleanup. */
export function tempDir(prefix = 'munero-tools-'): { dir: string; cleanup: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Writes files (path → content) under root, creating directories. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

export interface TestWorkspace {
  root: string;
  /** Sibling of root, outside the workspace, for escape tests. */
  outside: string;
  changes: MemoryChangeSink;
  ctx: ToolContext;
  cleanup: () => void;
}

export function testWorkspace(opts: { limits?: Partial<ToolLimits>; allow?: string[] } = {}): TestWorkspace {
  const { dir, cleanup } = tempDir();
  const root = path.join(dir, 'ws');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  const changes = new MemoryChangeSink(root);
  const ctx: ToolContext = {
    workspaceRoot: root,
    changes,
    policy: { allow: opts.allow ?? [] },
    limits: { ...DEFAULT_TOOL_LIMITS, ...opts.limits },
    // Tool logic is tested here; the sandbox has its own tests (sandbox.test.ts).
    commands: CommandRunner.withoutSandbox({ workspaceRoot: root }),
  };
  return { root, outside, changes, ctx, cleanup };
}

/** Whether a process exists and is not a zombie awaiting its reaper. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return condition();
}
