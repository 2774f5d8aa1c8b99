// Builds the central server's commands into plain JavaScript (out/node/*.mjs) so production runs
// `node`, not the TypeScript loader: `npm run server`, `npm run server:admin`, `npm run demo`.
import { buildNode } from './build-node.mjs';

await buildNode({
  server: 'server/cli.ts',
  'server-admin': 'server/admin/cli.ts',
  demo: 'server/demo/cli.ts',
});
