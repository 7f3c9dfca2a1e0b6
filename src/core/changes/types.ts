/**
 * What the workspace tools need from the changes layer. Every write an agent makes is
 * proposed here (ARCHITECTURE rule 1); no tool touches the disk for writing.
 */
export interface ProposedWrite {
  /** Workspace-relative path with forward slashes, already confined to the workspace. */
  path: string;
  /** The complete new content of the file. */
  content: string;
  /** The tool that asked for it, for the audit log. */
  tool: 'write_file' | 'edit_file';
}

export interface ProposalResult {
  changeId: string;
  /** 'applied' when the policy accepted it and it is on disk; 'pending' while it awaits review. */
  status: 'applied' | 'pending' | 'rejected';
  /** Why a rejected change was refused, for the model. */
  reason?: string;
  /** What review made of it, hunk by hunk, when that differs from what the agent wrote. */
  note?: string;
}

export interface ChangeSink {
  propose(write: ProposedWrite): Promise<ProposalResult>;
  /**
   * The content an agent should see for a path: its own pending (not yet applied) change if
   * there is one, otherwise undefined, meaning "read the disk".
   */
  pendingContent(path: string): string | undefined;
  /**
   * The agent has read this path's current content (read_file, or edit_file working on it).
   * A later whole-file write over another task's change the agent never read is refused as a
   * conflict. Searching does not count as reading.
   */
  noteRead(path: string): void;
}
