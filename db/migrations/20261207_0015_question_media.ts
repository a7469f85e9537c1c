import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Issue 14, item 3: images imported with questions (Moodle XML <file>, Word pictures)
 * become stored media, content-addressed (sha-256 of the bytes, so a picture used by a
 * hundred questions is stored once), and each question version names the files its stem
 * references. They used to sit as base64 inside question_version.images, where nothing
 * could serve them; that column is emptied here and no longer written.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("question_media")
    .addColumn("hash", "text", (c) => c.primaryKey().check(sql`hash ~ '^[0-9a-f]{64}$'`))
    .addColumn("mime", "text", (c) => c.notNull().check(sql`mime in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')`))
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("data", "bytea", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable("question_version_media")
    .addColumn("version_id", "integer", (c) => c.notNull().references("question_version.id").onDelete("cascade"))
    // The name the stem uses (`<img src="@@PLUGINFILE@@/name">`); never shown to a trainee.
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull().references("question_media.hash"))
    .addPrimaryKeyConstraint("question_version_media_pk", ["version_id", "name"])
    .execute();
  await db.schema.createIndex("question_version_media_hash").on("question_version_media").column("hash").execute();

  // Move the images already imported. Only real raster images by their first bytes.
  const rows = await db
    .selectFrom("question_version")
    .select(["id", "images"])
    .where(sql`jsonb_array_length(images)`, ">", 0)
    .execute();
  for (const r of rows) {
    const images = (typeof r.images === "string" ? JSON.parse(r.images) : r.images) as { name: string; base64: string }[];
    for (const img of images) {
      const data = new Uint8Array(Buffer.from(String(img.base64 ?? ""), "base64"));
      const mime = rasterMime(data);
      if (!mime || !img.name) continue;
      const hash = createHash("sha256").update(data).digest("hex");
      await db
        .insertInto("question_media")
        .values({ hash, mime, size: data.length, data })
        .onConflict((oc) => oc.column("hash").doNothing())
        .execute();
      await db
        .insertInto("question_version_media")
        .values({ version_id: r.id, name: img.name, hash })
        .onConflict((oc) => oc.columns(["version_id", "name"]).doNothing())
        .execute();
    }
  }
  await db
    .updateTable("question_version")
    .set({ images: sql`'[]'::jsonb` })
    .where(sql`jsonb_array_length(images)`, ">", 0)
    .execute();
}

function rasterMime(d: Uint8Array): string | undefined {
  if (d.length < 12) return undefined;
  if (d[0] === 0x89 && d[1] === 0x50 && d[2] === 0x4e && d[3] === 0x47) return "image/png";
  if (d[0] === 0xff && d[1] === 0xd8 && d[2] === 0xff) return "image/jpeg";
  if (d[0] === 0x47 && d[1] === 0x49 && d[2] === 0x46 && d[3] === 0x38) return "image/gif";
  if (
    d[0] === 0x52 &&
    d[1] === 0x49 &&
    d[2] === 0x46 &&
    d[3] === 0x46 &&
    d[8] === 0x57 &&
    d[9] === 0x45 &&
    d[10] === 0x42 &&
    d[11] === 0x50
  )
    return "image/webp";
  return undefined;
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("question_version_media").ifExists().execute();
  await db.schema.dropTable("question_media").ifExists().execute();
}
