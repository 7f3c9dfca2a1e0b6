/**
 * The sandbox helper: a child process, one per build, started with the workspace as its working
 * folder. sandbox-runtime is a process-wide singleton that resolves its mandatory protections
 * (shell start-up files, .vscode, .git/hooks) against process.cwd(); in VS Code's extension host
 * that is not the workspace, and two builds in two workspaces would share one configuration.
 * A process of its own per build gives each workspace its own sandbox and its own network proxy.
 */
import { SandboxManager, SandboxRuntimeConfigSchema } from '@anthropic-ai/sandbox-runtime';
import fs from 'node:fs';
import path from 'node:path';
import type { HelperReply, HelperRequest } from './protocol';

/**
 * A .vsix does not keep file modes, so the seccomp binary copied next to the bundle may arrive
 * without its execute bit; sandbox-runtime would then fail to start every command.
 */
function makeBundledSeccompExecutable(): void {
  const binary = path.join(__dirname, 'vendor', 'seccomp', process.arch, 'apply-seccomp');
  try {
    if ((fs.statSync(binary).mode & 0o111) === 0) fs.chmodSync(binary, 0o755);
  } catch {
    // Not bundled (running from source) or not writable: the library reports what it lacks.
  }
}

function reply(message: HelperReply): void {
  process.send?.(message);
}

async function handle(request: HelperRequest): Promise<HelperReply> {
  switch (request.type) {
    case 'init': {
      makeBundledSeccompExecutable();
      // Commands see this as TMPDIR; the default (/tmp/claude) is created by nothing and shared.
      process.env.CLAUDE_CODE_TMPDIR = request.tmpDir;
      if (!SandboxManager.isSupportedPlatform()) return { id: request.id, ok: false, error: `no OS sandbox for ${process.platform}` };
      const ripgrep = request.ripgrep ? { command: request.ripgrep } : undefined;
      const deps = SandboxManager.checkDependencies(ripgrep);
      if (deps.errors.length) return { id: request.id, ok: false, error: `missing ${deps.errors.join(', ')}` };
      const config = SandboxRuntimeConfigSchema.parse({
        // An omitted allowedDomains turns network isolation off; an empty list with no ask callback denies every host.
        network: { allowedDomains: request.policy.allowedDomains, deniedDomains: [] },
        filesystem: { denyRead: request.policy.denyRead, allowWrite: request.policy.allowWrite, denyWrite: request.policy.denyWrite },
        ...(ripgrep ? { ripgrep } : {}),
      });
      await SandboxManager.initialize(config);
      return { id: request.id, ok: true, platform: process.platform === 'darwin' ? 'sandbox-exec' : 'bubblewrap', warnings: deps.warnings };
    }
    case 'wrap': {
      const wrapped = await SandboxManager.wrapWithSandbox(request.command, '/bin/sh', undefined, undefined, { commandId: request.commandId });
      return { id: request.id, ok: true, wrapped };
    }
    case 'cleanup':
      SandboxManager.cleanupAfterCommand();
      return { id: request.id, ok: true };
  }
}

process.on('message', (request: HelperRequest) => {
  handle(request).then(reply, (err: unknown) => reply({ id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) }));
});

// The engine went away: take the proxies and mount points down with us.
process.on('disconnect', () => {
  SandboxManager.reset().finally(() => process.exit(0));
});
