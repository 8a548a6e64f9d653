/**
 * Bundles each cloud function into a self-contained `cloudfunctions/<name>/index.js` (shared code,
 * zod, dayjs, lodash inlined; wx-server-sdk left to CloudBase's install from the function's own
 * package.json), ready for upload from WeChat DevTools or the CloudBase CLI.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { FUNCTIONS_DIR, listFunctions } from '../local/runtime-paths';

export async function buildFunctions(names = listFunctions()): Promise<{ name: string; bytes: number }[]> {
  return Promise.all(
    names.map(async (name) => {
      const outfile = path.join(FUNCTIONS_DIR, name, 'index.js');
      const result = await build({
        entryPoints: [path.join(FUNCTIONS_DIR, name, 'main.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        // CloudBase's Node.js 16 runtime is the oldest one we support.
        target: 'node16',
        format: 'cjs',
        external: ['wx-server-sdk'],
        sourcemap: 'linked',
        metafile: true,
        logLevel: 'warning',
        legalComments: 'none',
      });
      return { name, bytes: result.metafile.outputs[path.relative(process.cwd(), outfile)]?.bytes ?? 0 };
    }),
  );
}

if (require.main === module) {
  buildFunctions()
    .then((built) => {
      for (const { name, bytes } of built) console.log(`built cloudfunctions/${name}/index.js (${(bytes / 1024).toFixed(0)} KB)`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
