import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

/**
 * The ripgrep VS Code ships (code-server and desktop builds alike), so search and the sandbox
 * need nothing installed. Some builds keep it under node_modules.asar.unpacked.
 */
export function bundledRipgrep(): string | undefined {
  const binary = process.platform === 'win32' ? 'rg.exe' : 'rg';
  for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
    const candidate = path.join(vscode.env.appRoot, modules, '@vscode', 'ripgrep', 'bin', binary);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}
