import fs from 'node:fs';
import path from 'node:path';

/** JS/TS files the graph follows; anything else is not a module a test can import. */
export const MODULE_FILE = /\.(?:[cm]?[jt]sx?)$/;
/** Bigger files are not parsed; a test importing one is treated as importing anything. */
const MAX_PARSED_BYTES = 512 * 1024;

const STATIC = [
  /\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"\n]+)['"]/g,
  /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+['"]([^'"\n]+)['"]/g,
  /\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];
/** `require(x)` or `import(x)` with anything but one string literal: the target cannot be known. */
const DYNAMIC = /\b(?:require|import)\s*\(\s*(?!['"][^'"\n]+['"]\s*\))/g;
/** Extensions tried for a relative specifier without one (TypeScript's and Node's). */
const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

export interface ModuleImports {
  /** Workspace-relative files it imports (resolved relative specifiers). */
  files: string[];
  /** It imports something the graph cannot follow (a computed require, an alias, an oversized file). */
  unknown?: string;
}

/**
 * The workspace's import graph, read lazily from the files' own `import`/`require` lines and
 * kept per file by size and modification time, so a check after each task rereads only what changed.
 */
export class ImportGraph {
  private readonly parsed = new Map<string, { stamp: string; imports: ModuleImports }>();

  constructor(private readonly workspaceRoot: string) {}

  /** What one workspace-relative file imports; a missing file imports nothing. */
  importsOf(rel: string): ModuleImports {
    const abs = path.join(this.workspaceRoot, rel);
    let info: fs.Stats;
    try {
      info = fs.statSync(abs);
    } catch {
      return { files: [] };
    }
    const stamp = `${info.size}:${info.mtimeMs}`;
    const known = this.parsed.get(rel);
    if (known?.stamp === stamp) return known.imports;
    const imports = info.size > MAX_PARSED_BYTES ? { files: [], unknown: `${rel} is over ${MAX_PARSED_BYTES / 1024} KiB, so its imports were not read` } : this.parse(rel, fs.readFileSync(abs, 'utf8'));
    this.parsed.set(rel, { stamp, imports });
    return imports;
  }

  /**
   * Every file `rel` reaches through imports, itself included; `unknown` names the first import
   * on the way the graph could not follow.
   */
  closureOf(rel: string): { files: Set<string>; unknown?: string } {
    const files = new Set<string>([rel]);
    const stack = [rel];
    let unknown: string | undefined;
    while (stack.length) {
      const next = this.importsOf(stack.pop()!);
      unknown ??= next.unknown;
      for (const f of next.files) {
        if (!files.has(f)) {
          files.add(f);
          stack.push(f);
        }
      }
    }
    return { files, unknown };
  }

  private parse(rel: string, text: string): ModuleImports {
    const source = stripComments(text);
    const files = new Set<string>();
    let unknown: string | undefined;
    for (const pattern of STATIC) {
      for (const m of source.matchAll(pattern)) {
        const spec = m[1];
        if (spec.startsWith('.') || spec.startsWith('/')) {
          const target = this.resolve(rel, spec);
          if (target) files.add(target);
        } else if (/^(?:#|~\/|@\/)/.test(spec)) {
          unknown ??= `${rel} imports '${spec}', an alias the import graph does not resolve`;
        }
      }
    }
    if (DYNAMIC.test(source)) unknown ??= `${rel} has a require() or import() of a computed path`;
    DYNAMIC.lastIndex = 0;
    return { files: [...files], unknown };
  }

  /** A relative specifier as Node or TypeScript would find it: as written, with an extension, as a folder's index, or `.js` written for a `.ts` file. */
  private resolve(fromRel: string, spec: string): string | undefined {
    const base = spec.startsWith('/') ? path.relative(this.workspaceRoot, spec) : path.join(path.dirname(fromRel), spec);
    const rel = base.split(path.sep).join('/');
    if (rel.startsWith('../')) return undefined;
    const stem = rel.replace(/\.[cm]?jsx?$/, '');
    const candidates = [rel, ...EXTENSIONS.map((e) => `${rel}${e}`), ...EXTENSIONS.map((e) => `${stem}${e}`), ...EXTENSIONS.map((e) => `${rel}/index${e}`)];
    return candidates.find((c) => MODULE_FILE.test(c) && isFile(path.join(this.workspaceRoot, c)));
  }
}

function isFile(abs: string): boolean {
  try {
    return fs.statSync(abs).isFile();
  } catch {
    return false;
  }
}

/** Comments removed (strings kept), so a commented-out import is not an import. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}
