import * as vscode from 'vscode';

const KEY = 'munero.anthropicApiKey';
export const KEYS_PAGE = 'https://console.anthropic.com/settings/keys';

/** The Anthropic API key: SecretStorage first, else ANTHROPIC_API_KEY. Never settings, state or logs. */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<string | undefined> {
    return (await this.secrets.get(KEY)) || process.env.ANTHROPIC_API_KEY || undefined;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(KEY, key);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KEY);
  }

  /** Asks for a key; stores and returns it, or undefined when the user cancels. */
  async prompt(reason?: string): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: 'Munero: Anthropic API Key',
      prompt: `${reason ? `${reason} ` : ''}Paste an Anthropic API key (make one at ${KEYS_PAGE}). It is kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-ant-…',
      validateInput: (v) => (v.trim().length < 8 ? 'That is too short to be an API key.' : undefined),
    });
    if (!key) return undefined;
    await this.set(key.trim());
    return key.trim();
  }
}
