// Bindings seen by tests through `cloudflare:workers` (generated Env, src/types/worker-configuration.d.ts).
declare module 'cloudflare:workers' {
  export const env: Env
  export const exports: { default: { fetch(input: string, init?: RequestInit): Promise<Response> } }
}
