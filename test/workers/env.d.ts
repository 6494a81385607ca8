// Bindings seen by tests through `cloudflare:workers` (generated Env, src/types/worker-configuration.d.ts).
declare module 'cloudflare:workers' {
  /** UNMIGRATED_DB: a test-only D1 that no migration touches (vitest.config.ts). */
  export const env: Env & { UNMIGRATED_DB: D1Database }
  export const exports: { default: { fetch(input: string, init?: RequestInit): Promise<Response> } }
}
