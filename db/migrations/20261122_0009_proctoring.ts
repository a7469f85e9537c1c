import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/** Live proctoring: proctors per exam session, the session's event log, pause/lock/takeover state. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("exam_proctor")
    .addColumn("exam_id", "integer", (c) => c.notNull().references("exam.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user_account.id"))
    .addColumn("assigned_by", "text", (c) => c.references("user_account.id"))
    .addColumn("assigned_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("exam_proctor_pk", ["exam_id", "user_id"])
    .execute();

  // Integrity signals from trainees, proctor actions and server decisions, in order;
  // the incident report (biên bản) is printed from it.
  await db.schema
    .createTable("exam_event")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("exam_id", "integer", (c) => c.notNull().references("exam.id").onDelete("cascade"))
    .addColumn("attempt_id", "integer", (c) => c.references("attempt.id"))
    .addColumn("person_id", "integer", (c) => c.references("person.id"))
    .addColumn("source", "text", (c) => c.notNull()) // trainee | proctor | server
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.references("user_account.id"))
    .addColumn("reason", "text")
    .addColumn("details", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("exam_event_exam_idx").on("exam_event").columns(["exam_id", "id"]).execute();

  await db.schema
    .alterTable("attempt")
    .addColumn("paused_at", "timestamptz")
    .addColumn("paused_seconds", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_at", "timestamptz")
    .addColumn("takeover_device_id", "text")
    .addColumn("last_ip", "text")
    .addColumn("admitted_at", "timestamptz")
    .execute();
  await db.schema
    .alterTable("exam")
    .addColumn("paused_at", "timestamptz")
    .addColumn("session_ended_at", "timestamptz")
    // The incident report's number in the centre's register, taken at its first printing.
    .addColumn("incident_report_no", "integer")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("exam").dropColumn("paused_at").dropColumn("session_ended_at").dropColumn("incident_report_no").execute();
  await db.schema
    .alterTable("attempt")
    .dropColumn("paused_at")
    .dropColumn("paused_seconds")
    .dropColumn("locked_at")
    .dropColumn("takeover_device_id")
    .dropColumn("last_ip")
    .dropColumn("admitted_at")
    .execute();
  await db.schema.dropTable("exam_event").execute();
  await db.schema.dropTable("exam_proctor").execute();
}
