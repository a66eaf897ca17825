// Bundles the flowgate Action (action/src/index.ts and everything it imports) into ES modules for the node24
// runtime: action/dist/index.mjs, the chunks it loads when it needs them (the model SDK), and the licences of the
// bundled packages. `npm run build:action`; pass another
// directory as the first argument to build there instead (the test that checks action/dist is up to date does).
// The same sources and esbuild version give byte-identical output.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outdir = resolve(root, process.argv[2] ?? 'action/dist');

/**
 * @actions/core imports its OIDC client, and with it an HTTP client and undici (some 400 KiB), at the top level
 * without declaring its modules free of side effects. The Action never asks for an OIDC token: marked side-effect
 * free, the modules nobody uses are left out, and what the Action uses is bundled as before.
 */
const actionsToolkitWithoutSideEffects: Plugin = {
  name: 'actions-toolkit-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /^(@actions\/|\.\.?\/)/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      if (!args.path.startsWith('@actions/') && !args.importer.includes('/node_modules/@actions/'))
        return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      return resolved.errors.length > 0 ? undefined : { ...resolved, sideEffects: false };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['action/src/index.ts'],
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  // Bundled CommonJS packages still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);",
  },
  minify: true,
  legalComments: 'linked',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [actionsToolkitWithoutSideEffects],
});
console.log(`wrote ${outdir}/index.mjs`);
