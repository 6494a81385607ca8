// The generated worker-configuration.d.ts names workers globals (D1Database, …). The full
// @cloudflare/workers-types global scope would clash with @types/node in our single tsconfig, so
// only the names the generated file uses are aliased here.
type D1Database = import('@cloudflare/workers-types').D1Database
