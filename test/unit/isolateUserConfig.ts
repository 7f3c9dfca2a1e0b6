// Tests must not depend on the developer's own ~/.config/munero/config.json (a user who turned
// the sandbox off, or allowed commands, would change what they exercise). Children inherit it.
import os from 'node:os';
import path from 'node:path';

process.env.MUNERO_USER_CONFIG = path.join(os.tmpdir(), 'munero-tests-have-no-user-config.json');
