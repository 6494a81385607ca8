import { fileURLToPath } from 'node:url'
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

const catalogue = fileURLToPath(new URL('./data/build/catalogue.json', import.meta.url))

// One project per runtime (STYLE §6, HONO vitest.config.ts): `npm test` runs them all.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [
            'test/contract/**',
            'test/storage/**',
            'test/workers/**',
            'test/browser/**',
            '**/node_modules/**',
          ],
          // A file's first check builds the engine (a few seconds on a loaded 2-CPU machine).
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The web page in Debian's Chromium (playwright-core) against a real `npm start` server.
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          // Server start (engine build) and Chromium launch; a 300-row batch through the page.
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'sqlite',
          environment: 'node',
          include: ['test/contract/**/*.test.ts', 'test/storage/**/*.test.ts'],
        },
      },
      {
        // The Worker's catalogue import (wrangler.toml [alias]) resolved the same way under Vite.
        resolve: { alias: { 'dualuse:catalogue': catalogue } },
        plugins: [
          cloudflareTest({
            main: './src/runtime/worker.ts',
            wrangler: { configPath: './wrangler.toml' },
            // Test-only: Vite ships each module to workerd over a WebSocket capped at 1 MiB, and the
            // bundled catalogue is ~10 MB. This experimental flag lifts the cap; it is never deployed
            // (wrangler.toml does not set it). https://github.com/cloudflare/workerd/issues/1604
            miniflare: {
              compatibilityFlags: ['increase_websocket_message_size'],
              // Test-only: a D1 nothing migrates, for the health probe's "schema missing" answer.
              d1Databases: ['UNMIGRATED_DB'],
              // Test-only: a queue no consumer reads, so a test can deliver a batch's chunk messages
              // itself (retries, duplicates, cancellation) instead of racing the real consumer.
              queueProducers: {
                HELD_BATCH_QUEUE: { queueName: 'dualuse-batches-held' },
                // The same for webhook deliveries: a message sent here is "lost" (cron sweep test).
                HELD_WEBHOOK_QUEUE: { queueName: 'dualuse-webhooks-held' },
              },
              // Test-only webhook settings: a fixed sealing key, loopback receivers, fast retries.
              bindings: {
                WEBHOOK_SECRET_KEY: 'dGVzdC1vbmx5LXdlYmhvb2sta2V5LTMyLWJ5dGVzISE=',
                WEBHOOK_ALLOW_PRIVATE: 'true',
                WEBHOOK_RETRY_SCHEDULE: '1,1,2',
                // Test-only root key: the admin API is on (test/workers/admin.test.ts).
                ROOT_API_KEY: 'test-only-root-key-for-the-workers-project',
              },
            },
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
          setupFiles: ['./test/workers/apply-migrations.ts'],
          // A real HTTP receiver for webhook deliveries (test/workers/webhook-receiver.ts).
          globalSetup: ['./test/workers/webhook-receiver.ts'],
          // The first request loads the ~10 MB catalogue module and indexes it inside workerd.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
