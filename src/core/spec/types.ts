/** 1-based, inclusive line numbers in the original file (front matter included). */
export interface SourceRange {
  startLine: number;
  endLine: number;
}

/** One acceptance criterion: a list item, a `N.M` line, a Given/When/Then paragraph or an OpenSpec scenario. */
export interface Criterion {
  /** `<requirement id>.<n>`: the number the file gives it (`1.3` under Requirement 1), else its position. */
  id: string;
  text: string;
  line: number;
}

export interface Requirement {
  /**
   * As written (`R1`, `FR-001`, `NFR-PERF-1`), `REQ-<n>` for "Requirement <n>", `US-<n>` for "User Story <n>",
   * `STORY-<n.m>` for "Story <n.m>", a slug of the name for OpenSpec's "Requirement: <Name>", or derived (`REQ-1a2b3c`).
   */
  id: string;
  title: string;
  /** Plain text of the requirement without its acceptance criteria. */
  text: string;
  /** The criteria's texts, in order (what agents are shown). */
  acceptance: string[];
  criteria: Criterion[];
  range: SourceRange;
  /** False when the id was derived from the text because none was written. */
  explicitId: boolean;
  /** As written: `P1`, `High`, `Must`. */
  priority?: string;
  /** Under an OpenSpec `## ADDED|MODIFIED Requirements` heading. */
  delta?: 'added' | 'modified';
  /** The file it was read from, when not the spec's own `path` (a change touching several capabilities). */
  file?: string;
}

/** A line of the spec kept as a field rather than built: a success criterion, an open question, a clarification. */
export interface SpecNote {
  /** `SC-001` for success criteria; absent for questions. */
  id?: string;
  text: string;
  line: number;
  file?: string;
}

/** An OpenSpec requirement the change removes or renames: reported, never built. */
export interface DeltaNotice {
  kind: 'removed' | 'renamed';
  name: string;
  /** For a rename: the new name. */
  to?: string;
  line: number;
  file?: string;
}

/** A task from the spec folder's `tasks.md`, the plan's starting point. */
export interface SpecTask {
  id: string;
  title: string;
  description: string;
  /** Requirement ids it serves, resolved from the references written (`_Requirements: 1.1, 2.3_`, `[US1]`). */
  requirements: string[];
  /** References as written that named no requirement. */
  unresolved: string[];
  dependsOn: string[];
  files: string[];
  done: boolean;
  line: number;
}

export interface SpecIssue {
  severity: 'warning' | 'error';
  /** `duplicate_id`, `unclear`, `id_not_taken`, `not_utf8`, ... */
  code: string;
  path: string;
  line?: number;
  message: string;
}

export interface SpecSettings {
  test_command?: string;
  typecheck_command?: string;
  lint_command?: string;
  max_iterations?: number;
  model?: string;
  max_cost_usd?: number;
  allow_commands?: string[];
}

export interface Spec {
  /** The requirements file (for a folder: its requirements.md or spec.md). */
  path: string;
  /** First H1, else the file name without its extension. */
  title: string;
  settings: SpecSettings;
  requirements: Requirement[];
  /** `SC-` items: judged with the build, not built as tasks. */
  successCriteria: SpecNote[];
  /** Items under an "Open Questions" heading. */
  openQuestions: SpecNote[];
  /** Unresolved `[NEEDS CLARIFICATION: …]` markers; a build refuses to start on one unless allowed. */
  clarifications: SpecNote[];
  /** OpenSpec REMOVED and RENAMED requirements. */
  deltas: DeltaNotice[];
  /** Tasks from the folder's `tasks.md`, when there is one. */
  tasks?: { path: string; items: SpecTask[] };
  /** The file's full text. */
  text: string;
  /** Non-fatal problems, each as "<path>:<line>: ...". */
  warnings: string[];
  /** Every warning and error, structured (errors: duplicate ids, unresolved clarifications). */
  issues: SpecIssue[];
}
