// Boots a worker thread on a TypeScript entry. Under Node 20 the tsx loader of the main thread does
// not reach worker threads (`execArgv: ['--import', 'tsx']` is ignored there), so the worker
// registers it itself before importing the real entry. Plain JS, because nothing can load TS yet.
import { workerData } from 'node:worker_threads'

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api')
  register()
}
await import(workerData.entry)
