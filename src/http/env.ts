/**
 * @module http/env
 * The one Hono context type (UNK `pkg/hono/env.ts`).
 */
import type { Deps } from '../core/deps'
import type { Principal } from '../core/ports'

export type AppVariables = { deps: Deps; requestId: string; principal: Principal }
export type AppEnv<B extends object = object> = { Bindings: B; Variables: AppVariables }
