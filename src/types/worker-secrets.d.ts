// Worker secrets (`wrangler secret put NAME`; `.dev.vars` under `wrangler dev`): wrangler.toml does not
// name them, so `wrangler types` cannot generate them into worker-configuration.d.ts. Declared here,
// optional, beside the generated bindings (interface merging), and parsed with the rest in
// config/env.ts (WorkerBindingsSchema).
declare namespace Cloudflare {
  interface Env {
    /** The admin API's root key; unset, /v1/admin answers 404 (docs/http.md, "Admin API"). */
    ROOT_API_KEY?: string
  }
}
