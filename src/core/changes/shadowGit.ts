import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Git is not installed (or not runnable): nothing can be captured. */
export class GitMissingError extends Error {}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const devNull = process.platform === 'win32' ? 'NUL' : '/dev/null';

/**
 * A private git repository (`<dir>`) whose work tree is the workspace, for snapshots only: no
 * commits, no hooks, no fsmonitor, and none of the workspace's own git settings (its `.git/` is
 * never read) nor the environment's (GIT_DIR and friends do not leak in).
 */
export class ShadowGit {
  constructor(
    readonly dir: string,
    private readonly workTree: string,
    private readonly timeoutMs = 60_000,
  ) {}

  /** Creates the repository on first use. */
  async ensure(): Promise<void> {
    if (fs.existsSync(path.join(this.dir, 'HEAD'))) return;
    fs.mkdirSync(this.dir, { recursive: true });
    await this.run(['init', '--quiet', '--bare', this.dir], { bare: true });
    fs.mkdirSync(path.join(this.dir, 'info'), { recursive: true });
    fs.writeFileSync(path.join(this.dir, 'info', 'exclude'), '.git/\n.munero/\nnode_modules/\n');
    // Highest precedence: bytes are stored exactly as on disk, whatever the workspace's .gitattributes say.
    fs.writeFileSync(path.join(this.dir, 'info', 'attributes'), '* -text -eol -filter -ident -working-tree-encoding\n');
  }

  /** The tree of the work tree as it is now (every file git does not ignore). */
  async snapshot(): Promise<string> {
    fs.rmSync(path.join(this.dir, 'index.lock'), { force: true }); // only left by a killed run: calls are serial
    // --ignore-errors: a file it cannot read is skipped (exit 1), the rest still captured.
    await this.run(['add', '--all', '--ignore-errors', '--', '.'], { allowExit: [0, 1] });
    return (await this.run(['write-tree'])).toString('utf8').trim();
  }

  /** Paths that differ between two trees, with their modes and blob ids. */
  async diff(from: string, to: string): Promise<TreeChange[]> {
    const out = (await this.run(['diff-tree', '-r', '-z', '--no-renames', '--raw', from, to])).toString('utf8');
    const parts = out.split('\0');
    const changes: TreeChange[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const [oldMode, newMode, oldBlob, newBlob] = parts[i].replace(/^:/, '').split(' ');
      changes.push({ path: parts[i + 1], oldMode, newMode, oldBlob, newBlob });
    }
    return changes;
  }

  async blob(id: string): Promise<Buffer> {
    return this.run(['cat-file', 'blob', id]);
  }

  private run(args: string[], options: { bare?: boolean; allowExit?: number[] } = {}): Promise<Buffer> {
    const location = options.bare ? [] : [`--git-dir=${this.dir}`, `--work-tree=${this.workTree}`];
    const safety = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'core.autocrlf=false', '-c', 'core.safecrlf=false', '-c', 'core.symlinks=true', '-c', 'gc.auto=0', '-c', 'core.quotePath=false', '-c', `core.excludesFile=${devNull}`, '-c', `core.attributesFile=${devNull}`];
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        [...safety, ...location, ...args],
        { cwd: this.workTree, env: cleanEnv(), timeout: this.timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'buffer', windowsHide: true },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new GitMissingError('git is not installed'));
          const code = typeof err.code === 'number' ? err.code : undefined;
          if (code !== undefined && options.allowExit?.includes(code)) return resolve(stdout);
          const why = err.killed ? `timed out after ${this.timeoutMs / 1000} s` : stderr.toString('utf8').trim().slice(0, 500) || err.message;
          reject(new Error(`git ${args[0]} failed: ${why}`));
        },
      );
    });
  }
}

export interface TreeChange {
  path: string;
  /** `000000` when absent; `100644`/`100755` a file, `120000` a link, `160000` a nested repository. */
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
}

/** Only what git needs to run; nothing that points it at another repository or config. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: devNull, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const name of ['PATH', 'SYSTEMROOT', 'HOME', 'TMPDIR', 'TEMP', 'TMP']) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}
