/** Messages between the engine and its sandbox helper process (one per build). */

export interface SandboxPolicy {
  /** Real paths a command may write: the workspace and the run's private temp folder. */
  allowWrite: string[];
  /** Real paths inside those that stay read-only: .git, .munero, the spec, editor settings. */
  denyWrite: string[];
  /** Paths a command may not read at all (the user's SSH keys and cloud credentials). */
  denyRead: string[];
  /** Hosts a command may reach through the sandbox's proxy; empty means no network. */
  allowedDomains: string[];
}

export type HelperRequest =
  | { id: number; type: 'init'; policy: SandboxPolicy; tmpDir: string; ripgrep?: string }
  | { id: number; type: 'wrap'; command: string; commandId: string }
  | { id: number; type: 'cleanup' };

export type HelperReply =
  | { id: number; ok: true; wrapped?: string; platform?: string; warnings?: string[] }
  | { id: number; ok: false; error: string };
