import type { CreateNodesV2 } from 'nx/src/devkit-exports';
import { basename } from 'node:path';
export const createNodesV2: CreateNodesV2 = [
  'pipelines/*.yaml',
  async (files) => {
    const targets: Record<string, unknown> = {};
    for (const f of files) {
      const name = basename(f, '.yaml');
      targets[`${name}.data`] = { command: `echo data ${name} > artifacts/x.txt`, cache: true, outputs: ['{workspaceRoot}/artifacts/x.txt'] };
      targets[name] = { executor: 'nx:noop', dependsOn: [`${name}.data`] };
    }
    return files.map((f) => [f, { projects: { '.': { name: 'pipeline', root: '.', targets } } }]) as any;
  },
];
