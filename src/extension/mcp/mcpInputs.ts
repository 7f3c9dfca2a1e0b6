import * as vscode from 'vscode';

const MISSING_INPUT = /uses \$\{input:([^}]+)\}, which has no value/;

/** The `${input:id}` a wrong entry lacks a value for, if that is what is wrong with it. */
export function missingInputId(configError: string): string | undefined {
  return MISSING_INPUT.exec(configError)?.[1];
}

/**
 * Values for `${input:id}` in `.vscode/mcp.json` and `.munero/mcp.json`, as VS Code's own MCP
 * support keeps them: asked once, kept in secret storage (per workspace), never in a file. The
 * core reads them synchronously, so they are loaded once at the start and cached.
 */
export class McpInputs {
  private cache: Record<string, string> = {};
  private readonly key: string;
  readonly loaded: Promise<void>;

  constructor(private readonly secrets: vscode.SecretStorage, workspaceRoot: string, onLoaded: () => void) {
    this.key = `munero.mcpInputs:${workspaceRoot}`;
    this.loaded = Promise.resolve(secrets.get(this.key)).then(
      (stored) => {
        this.cache = { ...parse(stored), ...this.cache };
        onLoaded();
      },
      () => undefined,
    );
  }

  values(): Record<string, string> {
    return { ...this.cache };
  }

  /** Asks for the value of `${input:id}` (unless `value` is given) and keeps it; false when the user cancels. */
  async enter(id: string, value?: string): Promise<boolean> {
    const given =
      value ??
      (await vscode.window.showInputBox({
        title: `Munero: MCP input "${id}"`,
        prompt: `The value of \${input:${id}} in this workspace's MCP configuration. Kept in VS Code's secret storage, never in a file.`,
        password: true,
        ignoreFocusOut: true,
      }));
    if (given === undefined) return false;
    await this.loaded;
    this.cache = { ...this.cache, [id]: given };
    await this.secrets.store(this.key, JSON.stringify(this.cache));
    return true;
  }
}

function parse(stored: string | undefined): Record<string, string> {
  try {
    const value = JSON.parse(stored ?? '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}
