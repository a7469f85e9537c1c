import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  // The party organisation tree. `path` is a materialised path ("/1/4/9/") so a
  // scope check is one prefix comparison instead of a recursive query.
  await db.schema
    .createTable("org_unit")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("parent_id", "integer", (c) => c.references("org_unit.id").onDelete("restrict"))
    .addColumn("path", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("kind", "text", (c) => c.notNull()) // province | commune | bloc | grassroots | cell
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("short_name", "text")
    .addColumn("abbreviation", "text", (c) => c.notNull())
    .addColumn("term_label", "text") // e.g. "2025-2030"
    .addColumn("term_start", "date")
    .addColumn("place_name", "text") // used in the date line of documents
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("org_unit_parent_idx").on("org_unit").column("parent_id").execute();
  await sql`create index org_unit_path_idx on org_unit (path text_pattern_ops)`.execute(db);

  await db.schema
    .createTable("training_centre")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("abbreviation", "text", (c) => c.notNull())
    .addColumn("director_name", "text")
    .addColumn("address", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("person")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("birth_date", "date")
    .addColumn("gender", "text") // nam | nu | khac
    .addColumn("ethnicity", "text")
    .addColumn("education_level", "text")
    .addColumn("party_status", "text", (c) => c.notNull().defaultTo("quan_chung")) // quan_chung | du_bi | chinh_thuc
    .addColumn("admission_date", "date")
    .addColumn("full_member_date", "date")
    .addColumn("position", "text")
    .addColumn("phone", "text")
    .addColumn("email", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("person_org_idx").on("person").column("org_unit_id").execute();

  await db.schema
    .createTable("user_account")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("person_id", "integer", (c) => c.references("person.id"))
    .addColumn("must_change_password", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("disabled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("last_login_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("user_session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user_account.id").onDelete("cascade"))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("user_session_user_idx").on("user_session").column("user_id").execute();

  await db.schema
    .createTable("role_assignment")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("user_id", "text", (c) => c.notNull().references("user_account.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("read_only", "boolean", (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint("role_assignment_unique", ["user_id", "role", "org_unit_id"])
    .execute();

  // Failed-login counters per key ("user:<name>" or "ip:<addr>"), in the database so
  // that every server process sees the same counts.
  await db.schema
    .createTable("login_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("window_start", "timestamptz", (c) => c.notNull())
    .addColumn("locked_until", "timestamptz")
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("actor_id", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text")
    .addColumn("org_unit_id", "integer")
    .addColumn("reason", "text")
    .addColumn("details", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex("audit_log_entity_idx").on("audit_log").columns(["entity_type", "entity_id"]).execute();

  // Uploaded files parsed into rows and held between preview and commit.
  await db.schema
    .createTable("import_batch")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("user_account.id")) // null: the command line
    .addColumn("org_unit_id", "integer", (c) => c.references("org_unit.id"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("preview")) // preview | committed
    .addColumn("rows", "jsonb", (c) => c.notNull())
    .addColumn("issues", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("committed_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "import_batch",
    "audit_log",
    "login_throttle",
    "role_assignment",
    "user_session",
    "user_account",
    "person",
    "training_centre",
    "org_unit",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
