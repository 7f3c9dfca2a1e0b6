/** 1-based, inclusive line numbers in the original file (front matter included). */
export interface SourceRange {
  startLine: number;
  endLine: number;
}

export interface Requirement {
  /** As written (`R1`, `FR-001`), `REQ-<n>` for "Requirement <n>", `US-<n>` for "User Story <n>", or derived (`REQ-1a2b3c`). */
  id: string;
  title: string;
  /** Plain text of the requirement without its acceptance criteria. */
  text: string;
  acceptance: string[];
  range: SourceRange;
  /** False when the id was derived from the text because none was written. */
  explicitId: boolean;
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
  path: string;
  /** First H1, else the file name without its extension. */
  title: string;
  settings: SpecSettings;
  requirements: Requirement[];
  /** The file's full text. */
  text: string;
  /** Non-fatal problems, each as "<path>:<line>: ...". */
  warnings: string[];
}
