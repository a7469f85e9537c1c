import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("programme")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("manifest", "jsonb", (c) => c.notNull())
    .addColumn("manifest_hash", "text", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("lesson")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("programme_code", "text", (c) => c.notNull().references("programme.code"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("published_version_id", "integer")
    .addUniqueConstraint("lesson_programme_slug", ["programme_code", "slug"])
    .execute();

  // Every text a lesson ever had. Published versions are immutable; an edit makes a
  // new draft, which the committee must approve before trainees see it.
  await db.schema
    .createTable("lesson_version")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("lesson_id", "integer", (c) => c.notNull().references("lesson.id").onDelete("cascade"))
    .addColumn("version_no", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("source_hash", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("periods", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull()) // draft | submitted | returned | published | superseded
    .addColumn("origin", "text", (c) => c.notNull()) // file | editor
    .addColumn("author_id", "text", (c) => c.references("user_account.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("submitted_at", "timestamptz")
    .addColumn("reviewed_by", "text", (c) => c.references("user_account.id"))
    .addColumn("reviewed_at", "timestamptz")
    .addColumn("review_comment", "text")
    .addUniqueConstraint("lesson_version_no", ["lesson_id", "version_no"])
    .execute();
  await db.schema.createIndex("lesson_version_status_idx").on("lesson_version").columns(["status", "lesson_id"]).execute();
  await sql`alter table lesson add constraint lesson_published_fk foreign key (published_version_id) references lesson_version(id)`.execute(
    db,
  );

  // Compiled MDX by content hash: a lesson page never compiles on the request path
  // twice, and a restart does not recompile anything.
  await db.schema
    .createTable("compiled_mdx")
    .addColumn("hash", "text", (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("lesson_progress")
    .addColumn("user_id", "text", (c) => c.notNull().references("user_account.id").onDelete("cascade"))
    .addColumn("lesson_id", "integer", (c) => c.notNull().references("lesson.id").onDelete("cascade"))
    .addColumn("first_opened_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull())
    .addColumn("seconds_spent", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("completed_at", "timestamptz")
    .addPrimaryKeyConstraint("lesson_progress_pk", ["user_id", "lesson_id"])
    .execute();

  // The smallest class model self-study needs: which trainees study which programme
  // at which centre. Class operations extend these tables.
  await db.schema
    .createTable("training_class")
    .addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn("centre_id", "integer", (c) => c.notNull().references("training_centre.id"))
    .addColumn("programme_code", "text", (c) => c.notNull().references("programme.code"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("starts_on", "date")
    .addColumn("ends_on", "date")
    .addColumn("exam_requires_lessons", "text", (c) => c.notNull().defaultTo("all")) // all | none | comma-separated lesson numbers
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("class_enrolment")
    .addColumn("class_id", "integer", (c) => c.notNull().references("training_class.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("enrolled"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("class_enrolment_pk", ["class_id", "person_id"])
    .execute();
  await db.schema.createIndex("class_enrolment_person_idx").on("class_enrolment").column("person_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table lesson drop constraint if exists lesson_published_fk`.execute(db);
  for (const t of ["class_enrolment", "training_class", "lesson_progress", "compiled_mdx", "lesson_version", "lesson", "programme"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
