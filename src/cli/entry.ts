import path from 'node:path';
import { exitAfterOutput } from './exit';

// The `munero` command. A plain `munero status` is answered by a small bundle (see
// quickStatus.ts); every other command loads the full CLI. The requires are computed so esbuild
// leaves them to run time instead of bundling both here.
const argv = process.argv.slice(2);
const load = (bundle: string) => require(path.join(__dirname, bundle));
const quick: number | undefined = argv[0] === 'status' && !process.env.MUNERO_FULL_CLI ? load('cli-status.js').quickStatus(argv.slice(1)) : undefined;
if (quick !== undefined) exitAfterOutput(quick);
else load('cli-main.js').run(argv);
