// The README that goes into the .vsix. VS Code shows it in the extension's page, where only https
// and data: images load (its content security policy) and a relative link leads nowhere; vsce would
// make them absolute against package.json's repository, and there is no public repository yet. So
// the packaged copy leaves out relative images and turns relative links into their plain text;
// web links and in-page anchors stay.
import fs from 'node:fs';
import path from 'node:path';

export const PACKAGED_README = 'dist/readme.vsix.md';

export function packagedReadme(markdown) {
  return markdown
    // A relative image on a line of its own, with the caption paragraph under it if there is one.
    .replace(/^!\[[^\]]*\]\((?![a-z][\w+.-]*:)[^)]*\)\n\n?(?:\*\([^\n]*\)\*\n\n?)?/gim, '')
    .replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, bang, text, target) => {
      if (/^[a-z][\w+.-]*:/i.test(target) || target.startsWith('#')) return whole;
      return bang ? '' : text;
    });
}

/** Writes the packaged README into extPath; returns the vsce flags that package it as the extension's README. */
export function writePackagedReadme(extPath) {
  const text = packagedReadme(fs.readFileSync(path.join(extPath, 'README.md'), 'utf8'));
  fs.mkdirSync(path.join(extPath, path.dirname(PACKAGED_README)), { recursive: true });
  fs.writeFileSync(path.join(extPath, PACKAGED_README), text);
  return ['--readme-path', PACKAGED_README, '--no-rewrite-relative-links', '--allow-missing-repository'];
}
