/**
 * Workspace folders no agent write may touch and every command sees read-only, however they are
 * reached: the one list the write door, the tools' early check and the sandbox policy share.
 */
export interface ProtectedFolder {
  name: string;
  /** Why, for the refusal a model reads. */
  why: string;
}

export const PROTECTED_FOLDERS: readonly ProtectedFolder[] = [
  { name: '.git', why: 'version control: git runs the programs its hooks and config name' },
  { name: '.munero', why: "Munero's own state and config" },
  { name: '.vscode', why: 'editor settings and tasks: VS Code runs a task marked "runOn": "folderOpen", and workspace settings could loosen Munero' },
];

/** The protected folder a path lies in, judged by its segments; undefined when none. */
export function protectedFolderIn(segments: readonly string[]): ProtectedFolder | undefined {
  for (const segment of segments) {
    const found = PROTECTED_FOLDERS.find((folder) => namesFolder(segment, folder.name));
    if (found) return found;
  }
  return undefined;
}

/** Windows ignores trailing dots and spaces; `GIT~1`, `MUNERO~1`, `VSCODE~1` are 8.3 short names. */
function namesFolder(segment: string, name: string): boolean {
  const plain = segment.toLowerCase().replace(/[. ]+$/, '');
  return plain === name || new RegExp(`^${name.slice(1, 7)}~\\d+$`).test(plain);
}
