import type { Insertable, Selectable } from 'kysely'

export interface TenantTable {
  id: string
  name: string
  created_at: string
}

export const tableName = 'tenant'
export type PartialDB = { [tableName]: TenantTable }
export type TenantRow = Selectable<TenantTable>
export type NewTenantRow = Insertable<TenantTable>
