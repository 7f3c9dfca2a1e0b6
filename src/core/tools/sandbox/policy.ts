import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROTECTED_FOLDERS } from '../../changes/protectedFolders';
import type { SandboxPolicy } from './protocol';

/** Credentials in the user's home that no command needs to read. */
const SECRET_HOME_PATHS = ['.ssh', '.aws', '.azure', '.gnupg', '.netrc', '.docker/config.json', '.config/gcloud', '.config/gh', '.config/munero', '.npmrc', '.pypirc', '.git-credentials', '.kube'];

export interface PolicyInputs {
  /** Real path of the workspace root. */
  workspaceRoot: string;
  tmpDir: string;
  /** Further files a command must not write (the build's spec). */
  protectedPaths: string[];
  allowedHosts: string[];
}

/**
 * What a sandboxed command may touch. Only paths that exist are listed: bubblewrap makes a
 * mount point for a missing one, which would leave an empty file behind in the user's folders.
 */
export function sandboxPolicy(inputs: PolicyInputs): SandboxPolicy {
  const home = os.homedir();
  // Read-only for commands: version control, Munero's state, editor settings.
  const inWorkspace = PROTECTED_FOLDERS.map((folder) => path.join(inputs.workspaceRoot, folder.name));
  return {
    allowWrite: [inputs.workspaceRoot, inputs.tmpDir],
    denyWrite: existing([...inWorkspace, ...inputs.protectedPaths]),
    denyRead: existing(SECRET_HOME_PATHS.map((p) => path.join(home, p))),
    allowedDomains: [...inputs.allowedHosts],
  };
}

function existing(paths: string[]): string[] {
  const found = new Set<string>();
  for (const p of paths) {
    try {
      found.add(fs.realpathSync(p));
    } catch {
      // Not there: nothing to protect.
    }
  }
  return [...found];
}
