// Bundles the `flowgate` command (src/cli/main.ts and everything it imports, packages included) into one ES
// module for Node 20 and newer: dist/cli/flowgate.mjs, with the licences of the bundled packages beside it.
// `npm run build:cli`; `npm pack` runs it first (the `prepack` script), so the published package needs no
// dependencies and no Node 24. Pass another directory as the first argument to build there instead.
import { readFile, rm } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outdir = resolve(root, process.argv[2] ?? 'dist/cli');
const outfile = resolve(outdir, 'flowgate.mjs');

/**
 * The commands find the bundled examples with `new URL('<relative path>', import.meta.url)`. In the bundle every
 * module shares the bundle's import.meta.url, so each such path is rewritten to point from dist/cli/ to the same
 * place in the package.
 */
const relativeUrlsFromTheBundle: Plugin = {
  name: 'relative-urls-from-the-bundle',
  setup(b) {
    b.onLoad({ filter: /[/\\]src[/\\].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source.replace(
        /new URL\((['"])(\.\.?\/[^'"]*)\1, import\.meta\.url\)/g,
        (_match, _quote: string, path: string) => {
          const target = fileURLToPath(new URL(path, pathToFileURL(args.path)));
          const fromBundle = relative(dirname(outfile), target).split('\\').join('/');
          const trailing = path.endsWith('/') ? '/' : '';
          return `new URL(${JSON.stringify(`${fromBundle}${trailing}`)}, import.meta.url)`;
        },
      );
      return { contents, loader: 'ts' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/run-process.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Bundled CommonJS packages still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as flowgateCreateRequire } from 'node:module'; const require = flowgateCreateRequire(import.meta.url);",
  },
  minify: true,
  legalComments: 'linked',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [relativeUrlsFromTheBundle],
});
console.log(`wrote ${relative(root, outfile)}`);
