import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface SpecFolder {
  /** Requirements files, the first being the spec's own path. */
  specFiles: string[];
  tasks?: string;
}

/**
 * The files of a spec folder: Kiro's `requirements.md`, spec-kit's or an OpenSpec capability's
 * `spec.md`, or an OpenSpec change's `specs/<capability>/spec.md` deltas; and `tasks.md` beside them.
 */
export async function specFolderFiles(dir: string): Promise<SpecFolder | undefined> {
  const tasks = (await isFile(join(dir, 'tasks.md'))) ? join(dir, 'tasks.md') : undefined;
  for (const name of ['requirements.md', 'spec.md']) {
    if (await isFile(join(dir, name))) return { specFiles: [join(dir, name)], tasks };
  }
  const capabilities = await readdir(join(dir, 'specs')).catch(() => [] as string[]);
  const specFiles: string[] = [];
  for (const cap of capabilities.sort()) {
    if (await isFile(join(dir, 'specs', cap, 'spec.md'))) specFiles.push(join(dir, 'specs', cap, 'spec.md'));
  }
  return specFiles.length ? { specFiles, tasks } : undefined;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
