import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { killPoint } from '../state/killPoint';
import { PROTECTED_FOLDERS, protectedFolderIn } from './protectedFolders';

/**
 * The one door for writing workspace files (ARCHITECTURE rule 6). Every check is made on the
 * real path at the moment of writing: the folder a file lands in is opened, and what was opened
 * (not what a path named a moment ago) must lie inside the workspace and outside the protected
 * folders (`.git/`, `.munero/`, `.vscode/`) and the real folders their names lead to. On Linux the folder is then used through its descriptor (`/proc/self/fd/N/name`),
 * so swapping a folder for a link after the check changes nothing; elsewhere the path is re-checked
 * just before the rename, and the random temporary name makes a swapped rename fail closed.
 */

/** A write (or removal) Munero refuses to make. */
export class UnsafeWriteError extends Error {
  constructor(
    readonly rel: string,
    reason: string,
  ) {
    super(`${rel} ${reason}`);
    this.name = 'UnsafeWriteError';
  }
}

export interface WriteRules {
  /** Files no write may replace (the build's spec), compared by real path and by inode. */
  protectedPaths?: readonly string[];
}

const caseInsensitiveFs = process.platform === 'win32' || process.platform === 'darwin';
const procFd = process.platform === 'linux' && fs.existsSync('/proc/self/fd');
const O_DIRECTORY = fs.constants.O_DIRECTORY ?? 0;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

export interface FileContent {
  data: Buffer;
  mode: number;
}

/** A checked place to write one file: its folder, held open, and its name in it. */
export class SafeTarget {
  constructor(
    readonly rel: string,
    /** The real path of the folder, as it was when opened. */
    readonly realDir: string,
    readonly name: string,
    private readonly realRoot: string,
    private readonly dirFd: number | undefined,
  ) {}

  /** A path that reaches the opened folder itself, not whatever its path names now. */
  private at(name: string): string {
    return this.dirFd === undefined ? path.join(this.realDir, name) : `/proc/self/fd/${this.dirFd}/${name}`;
  }

  /** The target as it is now, never following a link: undefined when absent. */
  current(): fs.Stats | undefined {
    return fs.lstatSync(this.at(this.name), { throwIfNoEntry: false });
  }

  /**
   * Writes `data` to a new, exclusively created temporary file in the same folder and renames
   * it into place. `mode` omitted: the existing file's mode, or the default for a new file.
   */
  write(data: Buffer, options: { mode?: number; tempName?: () => string } = {}): void {
    const existing = this.current();
    if (existing?.isSymbolicLink()) throw symbolicLinkError(this.rel);
    const keepMode = options.mode ?? (existing ? existing.mode & 0o7777 : undefined);
    const { fd, name } = this.createTemp(options.tempName ?? (() => randomTempName(this.name)));
    try {
      try {
        fs.writeFileSync(fd, data);
        if (keepMode !== undefined) fs.fchmodSync(fd, keepMode);
      } finally {
        fs.closeSync(fd);
      }
      killPoint('file:temp');
      this.assertFolderUnmoved();
      fs.renameSync(this.at(name), this.at(this.name));
    } catch (err) {
      fs.rmSync(this.at(name), { force: true });
      throw err;
    }
  }

  /**
   * The file's bytes and mode, opened without following a link (and without waiting on a FIFO);
   * undefined when absent or not a regular file.
   */
  read(): FileContent | undefined {
    let fd: number;
    try {
      fd = fs.openSync(this.at(this.name), fs.constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    } catch (err) {
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'ELOOP') return undefined;
      throw err;
    }
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) return undefined;
      const content = { data: fs.readFileSync(fd), mode: stat.mode & 0o7777 };
      return this.dirFd !== undefined || realpathOrUndefined(this.realDir) === this.realDir ? content : undefined;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Removes the file (a link itself, never its target). False when it was already absent. */
  remove(): boolean {
    const stat = this.current();
    if (!stat) return false;
    if (stat.isDirectory()) throw new UnsafeWriteError(this.rel, 'is a folder; Munero removes only files');
    this.assertFolderUnmoved();
    fs.unlinkSync(this.at(this.name));
    return true;
  }

  /** Removes the folders above the file that are now empty, up to (not including) the root. */
  pruneEmptyFolders(): void {
    for (let dir = this.realDir; dir !== this.realRoot && isInside(this.realRoot, dir); dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        return;
      }
    }
  }

  close(): void {
    if (this.dirFd !== undefined) fs.closeSync(this.dirFd);
  }

  private createTemp(nextName: () => string): { fd: number; name: string } {
    for (let attempt = 0; ; attempt++) {
      const name = nextName();
      try {
        const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW;
        return { fd: fs.openSync(this.at(name), flags, 0o666), name };
      } catch (err) {
        // Something already holds that name (a planted file or link): never open it, pick another.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20) throw err;
      }
    }
  }

  private assertFolderUnmoved(): void {
    if (this.dirFd !== undefined) return;
    const now = realpathOrUndefined(this.realDir);
    if (now !== this.realDir) throw new UnsafeWriteError(this.rel, 'had its folder replaced while Munero was writing it; nothing was written');
  }
}

/**
 * Opens the folder `rel` lands in and checks it and the target; `createFolders` makes missing
 * folders one level at a time, checking each. The caller must `close()` the result.
 */
export function openSafeTarget(root: string, rel: string, rules: WriteRules = {}, purpose: 'write' | 'remove' | 'check' | 'read' = 'write'): SafeTarget {
  const segments = splitRelative(rel);
  const shown = segments.join('/');
  assertAllowedName(shown);
  const realRoot = fs.realpathSync(root);
  let dir = openFolder(realRoot, shown, realRoot);
  try {
    for (const segment of segments.slice(0, -1)) {
      const next = `${dir.at}/${segment}`;
      if (purpose === 'write') mkdirIfMissing(next);
      const opened = openFolder(next, shown, realRoot);
      closeFolder(dir);
      dir = opened;
    }
  } catch (err) {
    closeFolderQuietly(dir);
    throw err;
  }
  const name = segments[segments.length - 1];
  const target = new SafeTarget(shown, dir.real, name, realRoot, dir.fd);
  try {
    assertAllowed(shown, path.join(dir.real, name), realRoot);
    assertTargetAllowed(target, rules, purpose !== 'remove');
  } catch (err) {
    target.close();
    throw err;
  }
  return target;
}

/** Writes a whole workspace file through the one door. */
export function writeFileSafely(root: string, rel: string, data: Buffer, options: WriteRules & { mode?: number } = {}): void {
  withTarget(openSafeTarget(root, rel, options), (target) => target.write(data, { mode: options.mode }));
}

/** Removes a workspace file and the folders it leaves empty. False when it was already absent. */
export function removeFileSafely(root: string, rel: string, rules: WriteRules = {}): boolean {
  const target = openUnlessMissing(root, rel, rules, 'remove');
  if (!target) return false;
  return withTarget(target, (t) => {
    const removed = t.remove();
    if (removed) t.pruneEmptyFolders();
    return removed;
  });
}

/**
 * Reads a workspace file through the same real-path checks as a write, so a folder swapped for a
 * link (`rm -r d; ln -s ~/.aws d`) is never read through: such a file, a link, or one outside the
 * workspace or in a protected folder is undefined, as an absent one is.
 */
export function readFileSafely(root: string, rel: string): FileContent | undefined {
  let target: SafeTarget | undefined;
  try {
    target = openSafeTarget(root, rel, {}, 'read');
  } catch (err) {
    if (isMissing(err) || err instanceof UnsafeWriteError) return undefined;
    throw err;
  }
  return withTarget(target, (t) => t.read());
}

/** Throws UnsafeWriteError when a write to `rel` would be refused; creates nothing. */
export function assertSafeToWrite(root: string, rel: string, rules: WriteRules = {}): void {
  // A folder that does not exist yet cannot hide a link; the write checks it when it makes it.
  openUnlessMissing(root, rel, rules, 'check')?.close();
}

function openUnlessMissing(root: string, rel: string, rules: WriteRules, purpose: 'remove' | 'check'): SafeTarget | undefined {
  try {
    return openSafeTarget(root, rel, rules, purpose);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

function withTarget<T>(target: SafeTarget, use: (target: SafeTarget) => T): T {
  try {
    return use(target);
  } finally {
    target.close();
  }
}

interface OpenFolder {
  /** A path that reaches this folder: `/proc/self/fd/N` on Linux, its real path elsewhere. */
  at: string;
  real: string;
  fd: number | undefined;
}

function openFolder(folderPath: string, rel: string, realRoot: string): OpenFolder {
  let fd: number | undefined;
  let real: string;
  if (procFd) {
    fd = fs.openSync(folderPath, fs.constants.O_RDONLY | O_DIRECTORY);
    real = fs.readlinkSync(`/proc/self/fd/${fd}`);
  } else {
    real = fs.realpathSync(folderPath);
    if (!fs.statSync(real).isDirectory()) throw Object.assign(new Error(`${folderPath} is not a folder`), { code: 'ENOTDIR' });
  }
  const folder = { at: fd === undefined ? real : `/proc/self/fd/${fd}`, real, fd };
  try {
    if (!isInside(realRoot, real)) throw new UnsafeWriteError(rel, `leads outside the workspace through a symbolic link (to ${real}); Munero does not write there`);
    assertAllowed(rel, real, realRoot);
  } catch (err) {
    closeFolderQuietly(folder);
    throw err;
  }
  return folder;
}

function closeFolder(folder: OpenFolder): void {
  if (folder.fd !== undefined) fs.closeSync(folder.fd);
}

function closeFolderQuietly(folder: OpenFolder): void {
  try {
    closeFolder(folder);
  } catch {
    // already closed
  }
}

function mkdirIfMissing(folderPath: string): void {
  try {
    fs.mkdirSync(folderPath);
  } catch (err) {
    // Whatever is there (a folder, or a link someone made meanwhile) is checked when opened.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function assertTargetAllowed(target: SafeTarget, rules: WriteRules, refuseLink: boolean): void {
  const stat = target.current();
  if (refuseLink && stat?.isSymbolicLink()) throw symbolicLinkError(target.rel);
  if (stat?.isDirectory()) throw new UnsafeWriteError(target.rel, 'is a folder, not a file');
  const real = path.join(target.realDir, target.name);
  for (const protectedPath of rules.protectedPaths ?? []) {
    const guarded = protectedIdentity(protectedPath);
    if (!guarded) continue;
    const samePath = caseInsensitiveFs ? guarded.real.toLowerCase() === real.toLowerCase() : guarded.real === real;
    const sameFile = stat !== undefined && stat.ino !== 0 && stat.dev === guarded.dev && stat.ino === guarded.ino;
    if (samePath || sameFile) throw new UnsafeWriteError(target.rel, "is the build's spec; it stays as the build started from it");
  }
}

function symbolicLinkError(rel: string): UnsafeWriteError {
  return new UnsafeWriteError(rel, 'is a symbolic link; Munero does not write through links');
}

function protectedIdentity(file: string): { real: string; dev: number; ino: number } | undefined {
  const real = realpathOrUndefined(file);
  if (!real) return undefined;
  const stat = fs.statSync(real);
  return { real, dev: stat.dev, ino: stat.ino };
}

/**
 * Refuses a real path inside a protected folder, however it was spelled or reached: by its name
 * under the root, or inside the real path a protected name leads to (`.munero -> docs-cache`
 * makes `docs-cache/` Munero's state, whatever the path calls it).
 */
function assertAllowed(rel: string, real: string, realRoot: string): void {
  const inside = path.relative(realRoot, real);
  const byName = protectedFolderIn(inside.split(path.sep));
  if (byName) {
    const reached = protectedFolderIn(rel.split('/')) ? '' : ` (reached through a symbolic link, as ${inside.split(path.sep).join('/')})`;
    throw new UnsafeWriteError(rel, `is inside ${byName.name}/${reached}; Munero does not write there`);
  }
  for (const folder of PROTECTED_FOLDERS) {
    const linkedTo = realpathOrUndefined(path.join(realRoot, folder.name));
    if (linkedTo && isInside(linkedTo, real)) {
      throw new UnsafeWriteError(rel, `is inside ${folder.name}/ (the workspace's ${folder.name} is a symbolic link to ${linkedTo}); Munero does not write there`);
    }
  }
}

function assertAllowedName(rel: string): void {
  const folder = protectedFolderIn(splitRelative(rel));
  if (folder) throw new UnsafeWriteError(rel, `is inside ${folder.name}/ (${folder.why}); Munero does not write there`);
}

function splitRelative(rel: string): string[] {
  if (rel.includes('\0')) throw new UnsafeWriteError(rel.replace(/\0/g, '\\0'), 'contains a NUL byte');
  const normal = path.posix.normalize(rel.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(normal) || /^[a-zA-Z]:/.test(normal)) throw new UnsafeWriteError(rel, 'is an absolute path; Munero writes only workspace-relative paths');
  const segments = normal.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) throw new UnsafeWriteError(rel, 'is the workspace root, not a file');
  if (segments[0] === '..') throw new UnsafeWriteError(rel, 'leads outside the workspace');
  return segments;
}

function isInside(root: string, target: string): boolean {
  const a = caseInsensitiveFs ? root.toLowerCase() : root;
  const b = caseInsensitiveFs ? target.toLowerCase() : target;
  const relative = path.relative(a, b);
  return relative === '' || (relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative));
}

/**
 * Removes what writes cut short left beside these workspace files: a kill between writing the
 * temporary file and renaming it over the file leaves the temporary one. Only Munero's own names
 * (as randomTempName makes them) are removed, through the same door as any removal. Returns them.
 */
export function removeTornWrites(root: string, rels: string[]): string[] {
  const removed: string[] = [];
  const byFolder = new Map<string, Set<string>>();
  for (const rel of rels) {
    const names = byFolder.get(path.dirname(rel)) ?? new Set<string>();
    byFolder.set(path.dirname(rel), names.add(path.basename(rel).slice(0, 100)));
  }
  for (const [folder, names] of byFolder) {
    let entries: string[];
    try {
      entries = fs.readdirSync(path.join(root, folder));
    } catch {
      continue;
    }
    for (const entry of entries) {
      const m = /^\.(.+)\.[0-9a-f]{12}\.munero-tmp$/.exec(entry);
      const rel = path.join(folder, entry);
      if (m && names.has(m[1]) && removeFileSafely(root, rel)) removed.push(rel);
    }
  }
  return removed;
}

function randomTempName(name: string): string {
  return `.${name.slice(0, 100)}.${crypto.randomBytes(6).toString('hex')}.munero-tmp`;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
