// Installs Debian packages a run needs when they are missing (as root, or through sudo), so the
// README's two commands are the whole setup on a fresh Debian or Ubuntu machine.
import { spawnSync } from 'node:child_process';

/** What sandboxed commands need: bubblewrap and socat (sandbox-runtime), ripgrep (its scan, and search). */
export const SANDBOX_PACKAGES = ['bubblewrap', 'socat', 'ripgrep'];

export function missingDebianPackages(packages) {
  return packages.filter((pkg) => {
    const r = spawnSync('dpkg', ['-s', pkg], { encoding: 'utf8' });
    return r.status !== 0 || !/^Status: install ok installed$/m.test(r.stdout);
  });
}

/**
 * Returns a sentence saying what could not be done, or undefined when everything is there. Only
 * Debian-like Linux is handled; elsewhere the caller says what to install.
 */
export function ensureDebianPackages(packages, log = console.log) {
  if (process.platform !== 'linux' || spawnSync('dpkg', ['--version']).status !== 0) {
    return `this is not a Debian-like Linux; install ${packages.join(', ')} yourself if a step needs them`;
  }
  const missing = missingDebianPackages(packages);
  if (!missing.length) return undefined;
  log(`Installing missing Debian packages: ${missing.join(', ')}`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
    return spawnSync(cmd, rest, { stdio: 'inherit', env });
  };
  apt(['update']);
  const install = apt(['install', '-y', '--no-install-recommends', ...missing]);
  const still = missingDebianPackages(packages);
  if (install.status !== 0 || still.length) return `apt-get could not install ${still.join(', ') || missing.join(', ')}`;
  return undefined;
}
