import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Git is not installed (or not runnable): nothing can be captured. */
export class GitMissingError extends Error {}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const devNull = process.platform === 'win32' ? 'NUL' : '/dev/null';
const BASE_EXCLUDES = ['.git/', '.munero/', 'node_modules/'];
const GITLINK_MODE = '160000';
const SAFE_SETTINGS = [
  ...['core.hooksPath=/dev/null', 'core.fsmonitor=false', `core.excludesFile=${devNull}`, `core.attributesFile=${devNull}`],
  ...['submodule.recurse=false', 'protocol.allow=never', 'gc.auto=0'],
  ...['core.autocrlf=false', 'core.safecrlf=false', 'core.symlinks=true', 'core.quotePath=false'],
];

/**
 * A private git repository (`<dir>`) whose work tree is the workspace, for snapshots only: no
 * commits, no hooks, no fsmonitor, and none of the workspace's own git settings (its `.git/` is
 * never read) nor the environment's (GIT_DIR and friends do not leak in), nor the user's.
 *
 * Nested repositories are never entered: git runs `git status` inside every gitlink in the index
 * on `add`, and that reads the nested repository's own config, which a command may have written
 * (a clean filter, an fsmonitor) to run a program outside the sandbox. So the gitlinks an add
 * creates are dropped from the index at once (and before every add), and their folders excluded.
 */
export class ShadowGit {
  constructor(
    readonly dir: string,
    private readonly workTree: string,
    private readonly timeoutMs = 60_000,
  ) {}

  /** Creates the repository on first use. */
  async ensure(): Promise<void> {
    fs.mkdirSync(this.home, { recursive: true });
    if (fs.existsSync(path.join(this.dir, 'HEAD'))) return;
    await this.run(['init', '--quiet', '--bare', this.dir], { bare: true });
    fs.mkdirSync(path.join(this.dir, 'info'), { recursive: true });
    fs.writeFileSync(path.join(this.dir, 'info', 'exclude'), BASE_EXCLUDES.join('\n') + '\n');
    // Highest precedence: bytes are stored exactly as on disk, whatever the workspace's .gitattributes say.
    fs.writeFileSync(path.join(this.dir, 'info', 'attributes'), '* -text -eol -filter -ident -working-tree-encoding\n');
  }

  /** The tree of the work tree as it is now (every file git does not ignore). */
  async snapshot(): Promise<string> {
    fs.rmSync(path.join(this.dir, 'index.lock'), { force: true }); // only left by a killed run: calls are serial
    await this.dropGitlinks(); // none, unless a run was killed between its add and its drop
    // --ignore-errors: a file it cannot read is skipped (exit 1), the rest still captured.
    await this.run(['add', '--all', '--ignore-errors', '--', '.'], { allowExit: [0, 1] });
    // Adding a new nested repository as a gitlink runs nothing; the next add would run status in it.
    this.exclude(await this.dropGitlinks());
    return (await this.run(['write-tree'])).toString('utf8').trim();
  }

  /** From now on git passes these folders by without looking inside. */
  private exclude(folders: string[]): void {
    const file = path.join(this.dir, 'info', 'exclude');
    const lines = new Set(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean));
    const added = folders.filter((folder) => !folder.includes('\n')).map((folder) => `/${escapeGlob(folder)}/`);
    if (added.every((line) => lines.has(line))) return;
    fs.writeFileSync(file, [...lines, ...added.filter((line) => !lines.has(line))].join('\n') + '\n');
  }

  /** Takes every gitlink out of the index; returns their paths. */
  private async dropGitlinks(): Promise<string[]> {
    const listing = (await this.run(['ls-files', '--stage', '-z'])).toString('utf8');
    const gitlinks = listing
      .split('\0')
      .filter((line) => line.startsWith(GITLINK_MODE + ' '))
      .map((line) => line.slice(line.indexOf('\t') + 1));
    // Plumbing that touches only the index (`git rm` would consult the work tree's .gitmodules).
    if (gitlinks.length) await this.run(['update-index', '--force-remove', '--', ...gitlinks]);
    return gitlinks;
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
    const safety = ['--no-optional-locks', ...SAFE_SETTINGS.flatMap((setting) => ['-c', setting])];
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        [...safety, ...location, ...args],
        { cwd: this.workTree, env: cleanEnv(this.home), timeout: this.timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'buffer', windowsHide: true },
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

  /** Git reads config from HOME and XDG_CONFIG_HOME: both point at an empty folder of Munero's. */
  private get home(): string {
    return path.join(this.dir, 'empty-home');
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
function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: devNull, GIT_ATTR_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', HOME: home, XDG_CONFIG_HOME: home };
  for (const name of ['PATH', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP']) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

/** Git's exclude patterns give `*?[\\` and a leading `!` or `#` a meaning: take them literally. */
function escapeGlob(folder: string): string {
  return folder.replace(/[*?[\\]/g, '\\$&').replace(/^[!#]/, '\\$&');
}
