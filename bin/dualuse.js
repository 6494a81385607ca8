/**
 * The `dualuse` CLI's launcher (the `dualuse` npm script): plain JavaScript, so the CLI runs without the
 * tsx loader, which cost 25–32 MB of peak RSS (its hooks run in a thread of their own) and ~0.5 s a start.
 *
 * It runs an esbuild bundle of src/cli/main.ts, cached in node_modules/.cache/dualuse-cli (os.tmpdir()
 * when that cannot be written). A stale bundle is never run: the cache's key is a SHA-256 of every file
 * the bundle was built from, exactly as esbuild read it (sources and the node_modules files it bundled),
 * the listing of each directory those files sit in (a new file can change what an import resolves to),
 * package.json, tsconfig.json, node_modules/.package-lock.json (what npm installed) and this file. Each
 * start hashes them again (~450 files, ~10 ms) and rebuilds (~0.4 s) if anything differs, so an edited
 * source is in the very next run.
 */
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Script } from 'node:vm'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ENTRY = join(ROOT, 'src/cli/main.ts')
const CONFIG_FILES = [
  'package.json',
  'tsconfig.json',
  'node_modules/.package-lock.json',
  'bin/dualuse.js',
]
/** Bundles kept in the cache (worktrees share node_modules, each has its own key); older ones go. */
const BUNDLES_KEPT = 8

const LOADERS = { '.ts': 'ts', '.tsx': 'tsx', '.mts': 'ts', '.cts': 'ts', '.json': 'json' }

function sha256(data) {
  return createHash('sha256').update(data).digest('hex')
}

/** The key of a bundle built from `inputs` (absolute path → SHA-256 of the text esbuild was given). */
function keyOf(inputs) {
  const hash = createHash('sha256').update(`${ROOT}\0${process.version}\0`)
  for (const file of CONFIG_FILES) {
    const path = join(ROOT, file)
    hash.update(`${file}\0${existsSync(path) ? sha256(readFileSync(path)) : '-'}\0`)
  }
  const paths = Object.keys(inputs).sort()
  for (const path of paths) hash.update(`${path}\0${inputs[path]}\0`)
  for (const dir of [...new Set(paths.map((path) => dirname(path)))].sort())
    hash.update(`${dir}\0${readdirSync(dir).sort().join('\0')}\0`)
  return hash.digest('hex')
}

/** The key of the bundle that the sources on disk now would make, or undefined if a file has gone. */
function currentKey(inputPaths) {
  const inputs = {}
  try {
    for (const path of inputPaths) inputs[path] = sha256(readFileSync(path))
    return keyOf(inputs)
  } catch {
    return undefined
  }
}

function cacheDir() {
  for (const dir of [
    join(ROOT, 'node_modules/.cache/dualuse-cli'),
    join(tmpdir(), 'dualuse-cli'),
  ]) {
    try {
      mkdirSync(dir, { recursive: true })
      const probe = join(dir, `.probe-${process.pid}`)
      writeFileSync(probe, '')
      rmSync(probe)
      return dir
    } catch {
      // Not writable (a read-only install): try the next place.
    }
  }
  throw new Error('dualuse: no writable cache directory for the CLI bundle')
}

/** Writes through a temporary name and renames, so a concurrent start never reads half a file. */
function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, text)
  renameSync(temporary, path)
}

async function buildBundle(dir) {
  const { build, transform } = await import('esbuild')
  // The modules transformed alone (below) must be read with the project's TypeScript settings too.
  const tsconfigRaw = readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')
  const inputs = {}
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'error',
    // Native or run-time packages: better-sqlite3 loads a .node file, esbuild builds the worker bundle.
    external: ['better-sqlite3', 'esbuild'],
    // Batch workers start from this bundle (cli/main.ts): it is told its own file.
    define: { DUALUSE_CLI_BUNDLE: '__filename' },
    // The bundle lives in the cache: external packages resolve from the project, wherever that is. The
    // sources are ES modules, strict: the directive must stay first, before the banner's statement.
    banner: {
      js: `'use strict';\nrequire = require('node:module').createRequire(${JSON.stringify(join(ROOT, 'package.json'))});`,
    },
    plugins: [
      {
        name: 'hash-inputs-and-own-import-meta-url',
        setup(on) {
          on.onLoad({ filter: /.*/, namespace: 'file' }, async (args) => {
            const bytes = readFileSync(args.path)
            inputs[args.path] = sha256(bytes)
            const text = bytes.toString('utf8')
            const loader = LOADERS[extname(args.path)] ?? 'js'
            if (!text.includes('import.meta.url')) return { contents: text, loader }
            // A module finds its files from its own URL (the catalogue, the batch worker's entry): give
            // each module its source file's URL, not the bundle's. esbuild's define replaces the
            // expression only, never the same words in a string or a comment.
            const own = await transform(text, {
              loader,
              sourcefile: args.path,
              tsconfigRaw,
              define: { 'import.meta.url': JSON.stringify(pathToFileURL(args.path).href) },
            })
            return { contents: own.code, loader: 'js' }
          })
        },
      },
    ],
  })
  const key = keyOf(inputs)
  const bundle = join(dir, `cli-${key}.cjs`)
  writeAtomically(bundle, result.outputFiles[0].text)
  writeAtomically(manifestPath(dir), JSON.stringify({ key, inputs: Object.keys(inputs) }))
  pruneCache(dir, bundle)
  return bundle
}

/** One manifest per checkout: the key and input files of its latest bundle. */
function manifestPath(dir) {
  return join(dir, `manifest-${sha256(ROOT).slice(0, 16)}.json`)
}

function pruneCache(dir, keep) {
  const bundles = readdirSync(dir)
    .filter((name) => name.startsWith('cli-') && name.endsWith('.cjs'))
    .map((name) => join(dir, name))
    .filter((path) => path !== keep)
    .map((path) => ({ path, mtime: statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime)
  for (const { path } of bundles.slice(BUNDLES_KEPT - 1)) {
    rmSync(path, { force: true })
    rmSync(codeCachePath(path), { force: true })
  }
}

/** The cached bundle if it was built from exactly the files on disk now, else a fresh one. */
async function bundlePath() {
  const dir = cacheDir()
  try {
    const manifest = JSON.parse(readFileSync(manifestPath(dir), 'utf8'))
    const bundle = join(dir, `cli-${manifest.key}.cjs`)
    if (currentKey(manifest.inputs) === manifest.key && existsSync(bundle)) return bundle
  } catch {
    // No manifest yet, or an unreadable one: build.
  }
  return buildBundle(dir)
}

async function bundleOrExit(rebuild) {
  try {
    return rebuild ? await buildBundle(cacheDir()) : await bundlePath()
  } catch (err) {
    // esbuild has printed a syntax error with its place; anything else is printed here.
    if (!err?.errors)
      process.stderr.write(`dualuse: cannot build the CLI: ${err?.message ?? err}\n`)
    process.exit(1)
  }
}

/** Where the V8 code cache of a bundle is kept: beside it, pruned with it. */
function codeCachePath(bundle) {
  return bundle.replace(/\.cjs$/, '.v8-code-cache')
}

/**
 * Runs the bundle as a CommonJS module, as `require` would, but compiled with the V8 code cache that
 * the last run of it left (vm.Script's cachedData: Node 20 has no module.enableCompileCache). A start
 * then skips compiling the ~2.5 MB bundle and every function the last run compiled. V8 refuses a
 * cache made from other source or under other flags; the run then leaves a new one, written at exit
 * so that it holds the functions this run compiled.
 */
function runBundle(bundle, source) {
  const cachePath = codeCachePath(bundle)
  let cachedData
  try {
    cachedData = readFileSync(cachePath)
  } catch {
    // None yet: this run writes it.
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: bundle, cachedData },
  )
  if (cachedData === undefined || script.cachedDataRejected)
    process.once('exit', () => {
      try {
        writeAtomically(cachePath, script.createCachedData())
      } catch {
        // A cache that cannot be written costs the next start its compile time, nothing else.
      }
    })
  const module = { exports: {} }
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle))
}

let bundle = await bundleOrExit(false)
let source
try {
  source = readFileSync(bundle, 'utf8')
} catch (err) {
  // Another checkout's build may have pruned this bundle since it was found: build it again, once.
  if (err?.code !== 'ENOENT') throw err
  bundle = await bundleOrExit(true)
  source = readFileSync(bundle, 'utf8')
}
runBundle(bundle, source)
