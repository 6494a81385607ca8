/**
 * @module storage/migrations
 * The one registry of migrations. A static record, not a folder scan: Workers have no file system.
 * Keys sort in apply order (date prefix).
 */
import type { Migration } from 'kysely'
import * as m0900 from './2026_04_20_0900_create_tenant_and_api_key'
import * as m0910 from './2026_04_20_0910_create_check'
import * as m1900 from './2026_12_06_1900_create_batch'
import * as m2100 from './2026_12_06_2100_create_webhooks'
import * as m2200screening from './2026_12_06_2200_create_screening'
import * as m1207_0900 from './2026_12_07_0900_add_api_key_name_and_last_used'
import * as m1207_1000 from './2026_12_07_1000_create_recheck'
import * as m1207_1100 from './2026_12_07_1100_add_batch_screening'
import * as m1207_1200 from './2026_12_07_1200_add_job_attempts'
import * as m1207_1300 from './2026_12_07_1300_add_batch_name'

export const migrations: Record<string, Migration> = {
  '2026_04_20_0900_create_tenant_and_api_key': m0900,
  '2026_04_20_0910_create_check': m0910,
  '2026_12_06_1900_create_batch': m1900,
  '2026_12_06_2100_create_webhooks': m2100,
  '2026_12_06_2200_create_screening': m2200screening,
  '2026_12_07_0900_add_api_key_name_and_last_used': m1207_0900,
  '2026_12_07_1000_create_recheck': m1207_1000,
  '2026_12_07_1100_add_batch_screening': m1207_1100,
  '2026_12_07_1200_add_job_attempts': m1207_1200,
  '2026_12_07_1300_add_batch_name': m1207_1300,
}
