import type { BuildState } from './buildState';

/** The part of a build's state that a checkpoint records, so the build can be rewound to it. */
export type StateAtCheckpoint = Pick<BuildState, 'tasks' | 'requirements' | 'iteration' | 'iterationOpen' | 'plan' | 'iterations' | 'lastChecks' | 'pendingReplan'>;

export function captureState(s: BuildState): StateAtCheckpoint {
  const { tasks, requirements, iteration, iterationOpen, plan, iterations, lastChecks, pendingReplan } = s;
  return structuredClone({ tasks, requirements, iteration, iterationOpen, plan, iterations, lastChecks, pendingReplan });
}

/** Before the build changed anything: the first plan, every task pending, no iteration yet. */
export function stateBeforeAnyTask(s: BuildState): StateAtCheckpoint {
  const first = s.planHistory?.[0] ?? s.plan;
  const tasks = first ? Object.fromEntries(first.tasks.map((t) => [t.id, { status: 'pending' as const, attempts: 0 }])) : {};
  const requirements = s.requirements.map((r) => ({ ...r, verdict: 'unverified' as const, reason: 'no task has run yet', verifiedBy: undefined }));
  return { tasks, requirements, iteration: 0, iterationOpen: false, plan: first ? { version: first.version, tasks: first.tasks } : undefined, iterations: [], lastChecks: undefined, pendingReplan: undefined };
}

export interface Rewound {
  /** Tasks that were done and are open again. */
  reopened: string[];
  iteration: number;
  /** The plan version the build continues with, and the one it restored. */
  planVersion?: number;
  restoredPlanVersion?: number;
}

/**
 * Puts the build's task state back to `at`. Attempt counters never go back: each agent's
 * conversation is kept under its attempt's id, so a resumed task starts a fresh attempt instead
 * of replaying one that was undone. For the same reason a plan from an earlier version comes
 * back as a new version (a later revision gets a planner of its own).
 */
export function rewindState(s: BuildState, at: StateAtCheckpoint, checkpoint: string): Rewound {
  const now = s.tasks;
  const tasks: BuildState['tasks'] = {};
  for (const [id, then] of Object.entries(structuredClone(at.tasks))) {
    const attempts = Math.max(then.attempts, now[id]?.attempts ?? 0);
    // A task mid-attempt at that point starts over; its base checkpoint is then the one restored.
    tasks[id] = then.status === 'running' ? { ...then, status: 'pending', attempts, checkpointBefore: undefined } : { ...then, attempts };
  }
  const reopened = Object.keys(now).filter((id) => now[id].status === 'done' && tasks[id]?.status !== 'done');
  s.tasks = tasks;
  s.requirements = structuredClone(at.requirements);
  s.iteration = at.iteration;
  s.iterationOpen = at.iterationOpen;
  s.iterations = structuredClone(at.iterations ?? []);
  s.lastChecks = structuredClone(at.lastChecks);
  s.pendingReplan = structuredClone(at.pendingReplan);
  let restoredPlanVersion: number | undefined;
  if (at.plan && at.plan.version !== s.plan?.version) {
    restoredPlanVersion = at.plan.version;
    const version = Math.max(0, ...(s.planHistory ?? []).map((p) => p.version), s.plan?.version ?? 0) + 1;
    s.plan = { version, tasks: structuredClone(at.plan.tasks) };
    const reason = `restored to checkpoint ${checkpoint} (plan v${at.plan.version})`;
    s.planHistory = [...(s.planHistory ?? []), { version, tasks: structuredClone(at.plan.tasks), reason, at: new Date().toISOString() }];
  }
  s.status = 'paused';
  s.stopReason = `files and task state restored to checkpoint ${checkpoint}; run \`munero resume\` to continue from there`;
  s.lastCheckpoint = checkpoint;
  return { reopened, iteration: s.iteration, planVersion: s.plan?.version, restoredPlanVersion };
}
