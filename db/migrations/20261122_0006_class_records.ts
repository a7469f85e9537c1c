import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Timetable, attendance, results and certificates (issue #7, part 2). The columns of
 * `class_result` and `certificate` below are a contract other capabilities read
 * (dashboards, the party-development pipeline): add columns, do not rename these.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One row per trainee per class: the final classification (exam, attendance, conduct).
  await db.schema
    .createTable("class_result")
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("score", sql`numeric(4,2)`) // 0–10, null when not assessed
    .addColumn("band", "text") // xuat_sac | gioi | kha | trung_binh | khong_dat (policy keys)
    .addColumn("passed", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("fail_reason", "text")
    .addColumn("computed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // Added columns (not part of the contract above).
    .addColumn("absent_periods", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("may_sit", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("serious_breach", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("outcome", "text", (c) => c.notNull().defaultTo("pending")) // passed | resit | restudy | withheld | pending
    .addPrimaryKeyConstraint("class_result_pk", ["class_id", "person_id"])
    .execute();

  await db.schema
    .createTable("certificate")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("centre_id", "integer", (c) => c.notNull().references("training_centre.id"))
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("programme_code", "text", (c) => c.notNull().references("programme.code"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("serial_no", "integer", (c) => c.notNull()) // per centre and year
    .addColumn("number_label", "text", (c) => c.notNull()) // as printed
    .addColumn("issued_on", "date", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("valid")) // valid | revoked | superseded
    .addColumn("replaces_id", "integer", (c) => c.references("certificate.id"))
    .addColumn("reason", "text")
    .addColumn("verification_code", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // Added columns: the classification printed, and when/why it stopped being valid.
    .addColumn("classification", "text")
    .addColumn("revoked_at", "timestamptz")
    .addUniqueConstraint("certificate_serial_uq", ["centre_id", "year", "serial_no"])
    .execute();
  await db.schema.createIndex("certificate_person_idx").on("certificate").columns(["person_id", "programme_code"]).execute();
  await db.schema.createIndex("certificate_class_idx").on("certificate").column("class_id").execute();
  // Issued once per trainee per programme: at most one valid certificate.
  await sql`create unique index certificate_one_valid_uq on certificate (person_id, programme_code) where status = 'valid'`.execute(db);

  // The register's counter: one row per centre and year, bumped by an upsert (concurrency-safe).
  await db.schema
    .createTable("certificate_counter")
    .addColumn("centre_id", "integer", (c) => c.notNull().references("training_centre.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("last_no", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("certificate_counter_pk", ["centre_id", "year"])
    .execute();

  // Timetable: one row per buổi (half-day session), mapped to a lesson or an activity.
  await db.schema
    .createTable("class_session")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id"))
    .addColumn("seq", "integer", (c) => c.notNull()) // buổi 1, 2, …
    .addColumn("on_date", "date", (c) => c.notNull())
    .addColumn("part", "text", (c) => c.notNull()) // sang | chieu | toi
    .addColumn("topic", "text", (c) => c.notNull()) // "bai:2" or "hd:thao-luan"
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("periods", "integer", (c) => c.notNull())
    .addColumn("lecturer_name", "text")
    .addColumn("note", "text")
    .addUniqueConstraint("class_session_seq_uq", ["class_id", "seq"])
    .execute();

  // Per-class settings: the results policy (editable data) and the reason a timetable deviates.
  await db.schema
    .createTable("class_records_setting")
    .addColumn("class_id", "integer", (c) => c.primaryKey().references("training_class.id"))
    .addColumn("policy", "jsonb")
    .addColumn("timetable_reason", "text")
    .addColumn("templates", "jsonb") // edited texts of the notice and the report (official-documents.ts)
    .addColumn("updated_by", "text", (c) => c.references("user_account.id"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("attendance")
    .addColumn("session_id", "integer", (c) => c.notNull().references("class_session.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("status", "text", (c) => c.notNull()) // co_mat | vang_co_phep | vang_khong_phep | di_muon
    .addColumn("method", "text", (c) => c.notNull()) // manual | staff_scan | class_qr
    .addColumn("note", "text")
    .addColumn("marked_by", "text", (c) => c.references("user_account.id"))
    .addColumn("marked_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("attendance_pk", ["session_id", "person_id"])
    .execute();

  await db.schema
    .createTable("conduct_record")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("severity", "text", (c) => c.notNull()) // minor | serious
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.references("user_account.id"))
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("conduct_record_class_idx").on("conduct_record").columns(["class_id", "person_id"]).execute();

  // Secrets shared by every server process (the HMAC key of the rotating class QR), created on first use.
  await db.schema
    .createTable("server_secret")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The results notices (one per sending unit) and the class report keep their number on reprint.
  await db.schema
    .createTable("records_document")
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id"))
    .addColumn("doc_type", "text", (c) => c.notNull()) // TB | BC
    .addColumn("unit_id", "integer", (c) => c.notNull()) // the sending unit (notice); 0 for the report
    .addColumn("no", "integer", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("issued_on", "date", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("records_document_pk", ["class_id", "doc_type", "unit_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("records_document").execute();
  await db.schema.dropTable("server_secret").execute();
  await db.schema.dropTable("conduct_record").execute();
  await db.schema.dropTable("attendance").execute();
  await db.schema.dropTable("class_records_setting").execute();
  await db.schema.dropTable("class_session").execute();
  await db.schema.dropTable("certificate_counter").execute();
  await db.schema.dropTable("certificate").execute();
  await db.schema.dropTable("class_result").execute();
}
