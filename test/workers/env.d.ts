/// <reference types="@cloudflare/vitest-pool-workers/types" />
// Bindings seen by tests through `cloudflare:workers` (generated Env, src/types/worker-configuration.d.ts).
declare module 'cloudflare:workers' {
  /**
   * UNMIGRATED_DB: a test-only D1 that no migration touches; HELD_BATCH_QUEUE: a test-only queue with
   * no consumer (vitest.config.ts).
   */
  export const env: Env & {
    UNMIGRATED_DB: D1Database
    HELD_BATCH_QUEUE: Queue
    /** Test-only: a webhook queue no consumer reads (a "lost" message for the sweep test). */
    HELD_WEBHOOK_QUEUE: Queue
    WEBHOOK_SECRET_KEY: string
    WEBHOOK_ALLOW_PRIVATE: string
    WEBHOOK_RETRY_SCHEDULE: string
  }
  export const exports: {
    default: {
      fetch(input: string, init?: RequestInit): Promise<Response>
      queue(queueName: string, messages: ServiceBindingQueueMessage[]): Promise<FetcherQueueResult>
      scheduled(options?: FetcherScheduledOptions): Promise<FetcherScheduledResult>
    }
  }
}
