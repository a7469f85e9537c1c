import type { Kysely } from "kysely";
import type { DB } from "../db/schema";

/**
 * One row per sensitive action (score changes, certificate issue, regrades, account
 * and role changes). Pass the transaction that makes the change, so the entry and
 * the change commit or roll back together.
 */
export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  orgUnitId?: number | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export async function audit(db: Kysely<DB>, e: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_id: e.actorId,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId == null ? null : String(e.entityId),
      org_unit_id: e.orgUnitId ?? null,
      reason: e.reason ?? null,
      details: JSON.stringify(e.details ?? {}),
    })
    .execute();
}
