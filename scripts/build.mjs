// Bundles the CLI with esbuild. A bundled CLI starts several times faster than one that
// resolves hundreds of files in node_modules at every start (yargs alone is ~80 ms unbundled).
// Commands are separate entry points, so `devlaunch --version` loads none of them.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { build, transform } from 'esbuild';

// `import text from './page/app.js?raw'`: the file as a string (the dashboard's page), minified
// when it is JavaScript or CSS. Vitest understands the same suffix, so tests import the sources.
const rawText = {
  name: 'raw-text',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)),
      namespace: 'raw-text',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      const loader = { '.js': 'js', '.css': 'css' }[extname(args.path)];
      const text =
        loader === undefined
          ? source
          : (await transform(source, { loader, minify: true, target: 'es2022' })).code;
      return { contents: text, loader: 'text', watchFiles: [args.path] };
    });
  },
};

const commands = readdirSync('src/cli/commands')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => `src/cli/commands/${f}`);

const result = await build({
  // json-schema.ts is built only so the step below can write launcher.schema.json from it.
  entryPoints: [
    'src/cli/main.ts',
    'src/process/watchdog-main.ts',
    'src/process/win-launcher.ts',
    ...commands,
    'src/manifest/json-schema.ts',
  ],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
  chunkNames: 'chunks/[name]-[hash]',
  // The Win32 binding (optional dependency) loads its prebuilt binary from its own folder.
  external: ['koffi'],
  plugins: [rawText],
  // CommonJS dependencies (cross-spawn, tree-kill) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __devlaunchCreateRequire } from 'node:module'; const require = __devlaunchCreateRequire(import.meta.url);",
  },
});

// Chunk names carry a content hash, so every build adds files and leaves the old ones: without
// this sweep dist/ (and the npm package) keeps every chunk ever built. Files younger than ten
// minutes are kept: in a working tree shared by several people, a run started against the
// previous build may still import its chunks lazily.
const built = new Set(Object.keys(result.metafile.outputs).map((f) => relative('dist', f)));
const keepAfter = Date.now() - 10 * 60 * 1000;
for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const file = join(entry.parentPath ?? entry.path, entry.name);
  if (!built.has(relative('dist', file)) && statSync(file).mtimeMs < keepAfter) rmSync(file);
}

// The JSON Schema editors use to complete and check launcher.yaml, generated from the one schema.
const { manifestJsonSchema } = await import('../dist/manifest/json-schema.js');
writeFileSync('launcher.schema.json', `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
