import fs from 'node:fs';
import path from 'node:path';

/**
 * Replaces `file` with `data` so that a crash or a power loss leaves either the old bytes or the
 * new ones, never a mix: the data goes to a temporary file that is flushed to the disk (fsync)
 * before it is renamed over the old one, and the folder is flushed after the rename so the new
 * name itself survives. `durable: false` skips both flushes (the benchmark's baseline).
 */
export function writeFileAtomic(file: string, data: string | Buffer, options: { durable?: boolean } = {}): void {
  const durable = options.durable !== false;
  const tmp = `${file}.tmp-${process.pid}-${Date.now().toString(36)}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    if (durable) fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  if (durable) syncFolder(path.dirname(file));
}

/** Flushes a folder's entries (a new or renamed name). Some platforms cannot open a folder for that; there the rename is as durable as it gets. */
export function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
