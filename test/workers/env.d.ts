/// <reference types="@cloudflare/vitest-pool-workers/types" />
// Bindings seen by tests through `cloudflare:workers` (generated Env, src/types/worker-configuration.d.ts).
declare module 'cloudflare:workers' {
  /**
   * UNMIGRATED_DB: a test-only D1 that no migration touches; HELD_BATCH_QUEUE: a test-only queue with
   * no consumer (vitest.config.ts).
   */
  export const env: Env & { UNMIGRATED_DB: D1Database; HELD_BATCH_QUEUE: Queue }
  export const exports: {
    default: {
      fetch(input: string, init?: RequestInit): Promise<Response>
      queue(queueName: string, messages: ServiceBindingQueueMessage[]): Promise<FetcherQueueResult>
      scheduled(options?: FetcherScheduledOptions): Promise<FetcherScheduledResult>
    }
  }
}
