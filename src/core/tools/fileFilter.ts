import ignore from 'ignore';
import { ToolError } from './toolError';

/**
 * File types for search_files' `type`, as ripgrep names them (`rg --type-list`); the JavaScript
 * search uses this table, ripgrep its own fuller one.
 */
export const FILE_TYPES: Record<string, string[]> = {
  c: ['*.c', '*.h', '*.H'],
  cpp: ['*.cpp', '*.cc', '*.cxx', '*.hpp', '*.hh', '*.hxx', '*.inl', '*.C', '*.H'],
  cs: ['*.cs'],
  css: ['*.css', '*.scss'],
  go: ['*.go'],
  html: ['*.htm', '*.html', '*.ejs'],
  java: ['*.java', '*.jsp', '*.jspx', '*.properties'],
  js: ['*.js', '*.jsx', '*.mjs', '*.cjs', '*.vue'],
  json: ['*.json', '*.jsonl', '*.composer.lock'],
  kotlin: ['*.kt', '*.kts'],
  lua: ['*.lua'],
  markdown: ['*.md', '*.markdown', '*.mdown', '*.mdwn', '*.mkd', '*.mkdn', '*.mdx'],
  md: ['*.md', '*.markdown', '*.mdown', '*.mdwn', '*.mkd', '*.mkdn', '*.mdx'],
  php: ['*.php', '*.php3', '*.php4', '*.php5', '*.phtml'],
  py: ['*.py', '*.pyi'],
  ruby: ['*.rb', '*.gemspec', 'Gemfile', '.irbrc', 'Rakefile'],
  rust: ['*.rs'],
  sh: ['*.sh', '*.bash', '*.zsh', '.bashrc', '.zshrc', '.profile'],
  sql: ['*.sql', '*.psql'],
  swift: ['*.swift'],
  toml: ['*.toml', 'Cargo.lock'],
  ts: ['*.ts', '*.tsx', '*.cts', '*.mts'],
  txt: ['*.txt'],
  xml: ['*.xml', '*.xml.dist', '*.xsd', '*.xsl', '*.xslt', '*.svg'],
  yaml: ['*.yaml', '*.yml'],
};

/** `*.{ts,tsx}` → `*.ts`, `*.tsx` (one level of braces, as models write them). */
export function expandBraces(glob: string): string[] {
  const match = /\{([^{}]*)\}/.exec(glob);
  if (!match) return [glob];
  const [head, tail] = [glob.slice(0, match.index), glob.slice(match.index + match[0].length)];
  return match[1]!.split(',').flatMap((alt) => expandBraces(`${head}${alt}${tail}`));
}

/**
 * Which workspace-relative files a `glob` (gitignore syntax, as ripgrep's --glob; a leading `!`
 * excludes) and a file `type` let through.
 */
export function fileFilter(glob: string | undefined, type: string | undefined): (rel: string) => boolean {
  const checks: Array<(rel: string) => boolean> = [];
  if (type !== undefined) {
    const globs = FILE_TYPES[type];
    if (!globs) throw new ToolError(`Unknown file type "${type}". Known types: ${Object.keys(FILE_TYPES).join(', ')}; or use glob.`);
    const matcher = ignore().add(globs);
    checks.push((rel) => matcher.ignores(rel));
  }
  if (glob !== undefined) {
    const globs = expandBraces(glob);
    const includes = globs.filter((g) => !g.startsWith('!'));
    const excludes = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
    const included = ignore().add(includes);
    const excluded = ignore().add(excludes);
    checks.push((rel) => (includes.length === 0 || included.ignores(rel)) && !excluded.ignores(rel));
  }
  return (rel) => checks.every((check) => check(rel));
}
