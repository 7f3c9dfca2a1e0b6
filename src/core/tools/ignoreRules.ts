import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { joinRel } from './walk';

interface Layer {
  /** Workspace-relative directory the rules were read in ('.' for the root). */
  base: string;
  rules: Ignore;
}

/**
 * The .gitignore rules in force in one directory: those of the directory itself and of every
 * directory above it up to the workspace root (plus .git/info/exclude), read as the walk
 * descends, with the deepest rule that decides winning, as in git.
 */
export class IgnoreRules {
  private constructor(private readonly layers: Layer[]) {}

  /** Rules for the workspace-relative directory `rel`, reading .gitignore files from the root down. */
  static async forDirectory(root: string, rel: string): Promise<IgnoreRules> {
    const exclude = await readRules(path.join(root, '.git', 'info', 'exclude'));
    let rules = new IgnoreRules(exclude ? [{ base: '.', rules: exclude }] : []);
    const segments = rel === '.' ? [] : rel.split('/');
    let current = '.';
    rules = await rules.enter(root, current);
    for (const segment of segments) {
      current = joinRel(current, segment);
      rules = await rules.enter(path.join(root, ...current.split('/')), current);
    }
    return rules;
  }

  /** The rules inside a subdirectory: these plus its own .gitignore, if it has one. */
  async enter(absDir: string, relDir: string): Promise<IgnoreRules> {
    const own = await readRules(path.join(absDir, '.gitignore'));
    return own ? new IgnoreRules([...this.layers, { base: relDir, rules: own }]) : this;
  }

  ignores(rel: string, isDir: boolean): boolean {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i]!;
      const local = layer.base === '.' ? rel : rel.slice(layer.base.length + 1);
      const verdict = layer.rules.test(isDir ? `${local}/` : local);
      if (verdict.unignored) return false;
      if (verdict.ignored) return true;
    }
    return false;
  }
}

async function readRules(file: string): Promise<Ignore | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return ignore({ allowRelativePaths: true }).add(text);
}
