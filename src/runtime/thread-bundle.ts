/**
 * @module runtime/thread-bundle
 * Worker threads run an esbuild bundle of their entry module, built from the current sources once per
 * process (~0.2 s). A thread that loaded TypeScript through tsx carried the loader (~27 MB each) and
 * needed a boot shim, since Node 20 does not pass the parent's `--import tsx` to worker threads; a
 * bundle built at run time can never be stale.
 */
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * esbuild, loaded on the first bundle rather than with this module: the CLI's commands import this
 * module (the batch pool) but, run from the CLI's bundle, never build one, and loading esbuild's API
 * took ~20 ms of every start.
 */
function esbuild(): typeof import('esbuild') {
  return createRequire(import.meta.url)('esbuild')
}

const bundles = new Map<string, string>()

function bundle(entry: URL): string {
  const path = fileURLToPath(entry)
  let source = bundles.get(path)
  if (source === undefined) {
    const { buildSync, stop: stopEsbuild } = esbuild()
    source = buildSync({
      entryPoints: [path],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      // The bundle runs as a script: give modules that locate files from import.meta.url their own URL.
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(path).href) },
    }).outputFiles[0]!.text
    bundles.set(path, source)
    // buildSync runs esbuild from a worker thread of its own that otherwise stays for the life of the
    // process (8 MB of RSS, measured); the next build, if any, starts it again.
    void stopEsbuild()
  }
  return source
}

/** Starts a worker thread running the module at `entry` (a TypeScript source URL). */
export function startThread(entry: URL, options: Omit<WorkerOptions, 'eval' | 'execArgv'>): Worker {
  // Workers would inherit the parent's `--import tsx`; the bundle is plain JS and needs no loader.
  return new Worker(bundle(entry), { ...options, eval: true, execArgv: [] })
}
