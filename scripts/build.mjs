// Bundles the CLI with esbuild. A bundled CLI starts several times faster than one that
// resolves hundreds of files in node_modules at every start (yargs alone is ~80 ms unbundled).
//
// Every command is its own self-contained CommonJS bundle, so `devlaunch config` compiles
// only what `config` needs, and each bundle can be compiled through V8's code cache on Node 20
// (src/cli/code-cache.ts), which cannot cache ES modules. dist/cli/boot.cjs is what the bin
// runs; it loads dist/cli/main.cjs, which loads one command. The watchdog, a program of its own,
// is CommonJS as well (it idles in less memory so); the Windows launcher stays an ES module.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, transform } from 'esbuild';
import { watToWasm } from './wat.mjs';

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

// `import bytes from './x.wat'`: the WebAssembly module assembled from its text (scripts/wat.mjs).
const wat = {
  name: 'wat',
  setup(b) {
    b.onLoad({ filter: /\.wat$/ }, async (args) => ({
      contents: await watToWasm(args.path),
      loader: 'binary',
      watchFiles: [args.path],
    }));
  },
};

/**
 * yaml as ES modules (the package's `browser` build, the same code): esbuild then keeps only
 * what devlaunch uses and runs no CommonJS wrapper per module at load. Its one difference, how a
 * warning is reported, is put back as the Node build has it (process.emitWarning).
 */
const yamlModules = {
  name: 'yaml-modules',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({
      path: resolve('node_modules/yaml/browser/dist/index.js'),
    }));
    b.onLoad({ filter: /[\\/]yaml[\\/]browser[\\/]dist[\\/]log\.js$/ }, () => ({
      contents: readFileSync('node_modules/yaml/dist/log.js', 'utf8')
        .replace("'use strict';", '')
        .replace(
          "var node_process = require('process');",
          "import node_process from 'node:process';",
        )
        .replace(/exports\.(\w+) = \w+;/g, '')
        .concat('\nexport { debug, warn };\n'),
      loader: 'js',
    }));
  },
};

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const commands = readdirSync('src/cli/commands')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => `src/cli/commands/${f}`);

const common = {
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
  // Whitespace and syntax minified, names kept (stack traces and `name`s stay readable; the
  // linked source maps give the sources' lines): a start reads, and V8 keeps for as long as
  // devlaunch runs, the bundle's whole source — `config`'s 408 kB became 265 kB, `up`'s 908 627.
  minifyWhitespace: true,
  minifySyntax: true,
  // The Win32 binding (optional dependency) loads its prebuilt binary from its own folder.
  external: ['koffi'],
};

/**
 * The lazily loaded parts of main.ts (`import('./commands/up.js')`, the yargs parser, the error
 * reporter, `status` when nothing runs) stay separate bundles: main.cjs requires them by relative path, which the code
 * cache's loader (or Node's require on Node ≥ 22) resolves next to it.
 */
const separateBundles = {
  name: 'separate-bundles',
  setup(b) {
    b.onResolve(
      { filter: /^\.\/(commands\/[\w-]+|parser|report-error|status-none)\.js$/ },
      (args) =>
        args.importer.endsWith(join('src', 'cli', 'main.ts'))
          ? { path: args.path.replace(/\.js$/, '.cjs'), external: true }
          : undefined,
    );
  },
};

const cjs = await build({
  ...common,
  entryPoints: [
    'src/cli/boot.ts',
    'src/cli/main.ts',
    'src/cli/parser.ts',
    'src/cli/report-error.ts',
    'src/cli/status-none.ts',
    // A program of its own, but CommonJS too: an idle ES module process keeps 0.4 MB more.
    'src/process/watchdog-main.ts',
    ...commands,
  ],
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // import('./x') becomes require('./x'): the code cache's loader provides require, not import.
  supported: { 'dynamic-import': false },
  define: {
    'import.meta.url': '__devlaunchImportMetaUrl',
    DEVLAUNCH_VERSION: JSON.stringify(pkg.version),
  },
  plugins: [separateBundles, rawText, yamlModules, wat],
  banner: {
    js: "var __devlaunchImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  },
});

// V8 stores a source with a single character beyond Latin-1 as two bytes per character: an
// em dash in one comment doubles the memory a bundle's source takes for as long as devlaunch
// runs (1.7 MB instead of 0.8 for `up`). esbuild escapes such characters in strings and regular
// expressions but keeps them in the comments it keeps; escaping those too changes no code.
//
// Each bundle is also written inside the CommonJS wrapper, calling itself with the five names
// (src/cli/code-cache.ts, PREWRAPPED_START and PREWRAPPED_END: the same text). Node's require
// runs it as any CommonJS file; the code cache's loader compiles the file as it is, where
// wrapping it at each start made V8 copy the whole source once more.
const prewrappedStart = '(function (exports, require, module, __filename, __dirname) { ';
const prewrappedEnd = '\n}).call(exports, exports, require, module, __filename, __dirname);\n';
for (const file of Object.keys(cjs.metafile.outputs).filter((f) => f.endsWith('.cjs'))) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(
    /[^\x00-\x7f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const mapComment = /\n(\/\/# sourceMappingURL=[^\n]*)\n?$/.exec(ascii);
  const body = mapComment === null ? ascii : ascii.slice(0, mapComment.index);
  const after = mapComment === null ? '' : `${mapComment[1]}\n`;
  writeFileSync(file, `${prewrappedStart}${body}${prewrappedEnd}${after}`);
}

const esm = await build({
  ...common,
  entryPoints: ['src/process/win-launcher.ts'],
  format: 'esm',
  // CommonJS dependencies (tree-kill) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __devlaunchCreateRequire } from 'node:module'; const require = __devlaunchCreateRequire(import.meta.url);",
  },
});

// Files of earlier builds (an older layout, a removed command) are swept. Files younger than ten
// minutes are kept: in a working tree shared by several people, a run started against the
// previous build may still load them lazily.
const built = new Set(
  [cjs, esm].flatMap((r) => Object.keys(r.metafile.outputs)).map((f) => relative('dist', f)),
);
const keepAfter = Date.now() - 10 * 60 * 1000;
for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const file = join(entry.parentPath ?? entry.path, entry.name);
  if (!built.has(relative('dist', file)) && statSync(file).mtimeMs < keepAfter) rmSync(file);
}

// The JSON Schema editors use to complete and check launcher.yaml, generated from the one schema
// by a throwaway build outside dist/.
const schemaDir = join('node_modules', '.cache', 'devlaunch-build');
mkdirSync(schemaDir, { recursive: true });
const schemaModule = join(schemaDir, 'json-schema.mjs');
await build({
  ...common,
  outdir: undefined,
  outbase: undefined,
  sourcemap: false,
  metafile: false,
  entryPoints: ['src/manifest/json-schema.ts'],
  outfile: schemaModule,
  format: 'esm',
  plugins: [rawText],
});
const { manifestJsonSchema } = await import(pathToFileURL(join(process.cwd(), schemaModule)).href);
writeFileSync('launcher.schema.json', `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
