// npm run package: makes munero.vsix in the repository root, the same way the e2e test does.
import path from 'node:path';
import { packageVsix, repoRoot } from '../test/vscode/harness.mjs';

packageVsix('package', path.join(repoRoot, 'munero.vsix'));
