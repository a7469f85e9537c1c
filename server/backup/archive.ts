import { createHash } from "node:crypto";
import { z } from "zod";
import { readTar, TarError, writeTar, type TarEntry } from "./tar";

/**
 * The backup file (decision 027): a tar holding `manifest.json`, the PGlite data folder
 * as a gzipped tar (`pglite.tar.gz`, PGlite's own dumpDataDir format) and, unless left
 * out, the survey seal key file. The manifest names the format, the migration level and
 * a SHA-256 of every other entry, so a damaged or foreign file is refused before
 * anything on disk changes.
 */

export const FORMAT = "boi-duong-backup";
export const FORMAT_VERSION = 1;
export const DATABASE_ENTRY = "pglite.tar.gz";
export const SEAL_KEY_ENTRY = "survey-seal.key";
const MANIFEST_ENTRY = "manifest.json";
/** The manifest's own SHA-256: a changed count or date is refused like a changed database. */
const MANIFEST_SUM_ENTRY = "manifest.json.sha256";

const entryRef = z.object({ file: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

const manifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.number().int(),
  createdAt: z.string(),
  /** "server": asked of the running server; "offline": the CLI opened the folder itself. */
  takenBy: z.enum(["server", "offline"]),
  /** The latest migration applied in the copied database. */
  migration: z.string().nullable(),
  database: entryRef,
  sealKey: entryRef.nullable(),
  /** Where the keys that sealed pending survey answers came from (decision 017). */
  sealKeySource: z.enum(["file", "env", "none"]),
  /** Fingerprints of the seal keys in use when the copy was taken (never the keys). */
  sealKeyFingerprints: z.array(z.string()),
  counts: z.object({ accounts: z.number(), attempts: z.number(), answers: z.number(), pendingSurveyAnswers: z.number() }),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFacts = Omit<Manifest, "format" | "version" | "database" | "sealKey">;

export class BackupFileError extends Error {}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
/** In sha256sum's format, so `sha256sum -c manifest.json.sha256` checks it too. */
const sumLine = (manifest: Uint8Array) => `${sha256(manifest)}  ${MANIFEST_ENTRY}\n`;

/** A key's fingerprint: enough to tell keys apart, nothing to recover one from. */
export function keyFingerprint(key: Uint8Array): string {
  return createHash("sha256").update("boi-duong survey seal key").update(key).digest("hex").slice(0, 16);
}

export function buildArchive(
  facts: ManifestFacts,
  database: Uint8Array,
  sealKey: Uint8Array | null,
): { bytes: Uint8Array; manifest: Manifest } {
  const ref = (file: string, b: Uint8Array) => ({ file, bytes: b.length, sha256: sha256(b) });
  const manifest: Manifest = {
    format: FORMAT,
    version: FORMAT_VERSION,
    ...facts,
    database: ref(DATABASE_ENTRY, database),
    sealKey: sealKey ? ref(SEAL_KEY_ENTRY, sealKey) : null,
  };
  const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n");
  const entries: TarEntry[] = [
    { name: MANIFEST_ENTRY, data: manifestBytes },
    { name: MANIFEST_SUM_ENTRY, data: new TextEncoder().encode(sumLine(manifestBytes)) },
    { name: DATABASE_ENTRY, data: database },
  ];
  if (sealKey) entries.push({ name: SEAL_KEY_ENTRY, data: sealKey });
  return { bytes: writeTar(entries), manifest };
}

/**
 * Checks a backup file whole: tar structure, manifest, every checksum, format version,
 * and that this program knows the migration it was taken at. Throws BackupFileError with
 * a Vietnamese message; reads nothing from disk and changes nothing.
 */
export function openArchive(
  bytes: Uint8Array,
  knownMigrations: string[],
): { manifest: Manifest; database: Uint8Array; sealKey: Uint8Array | null } {
  let files: Map<string, Uint8Array>;
  try {
    files = readTar(bytes);
  } catch (e) {
    if (e instanceof TarError) throw new BackupFileError(`Tệp sao lưu bị hỏng hoặc không phải tệp sao lưu của Bồi Dưỡng (${e.message}).`);
    throw e;
  }
  const raw = files.get(MANIFEST_ENTRY);
  if (!raw) throw new BackupFileError("Tệp không phải bản sao lưu của Bồi Dưỡng: thiếu manifest.json.");
  // Checked first, so a changed byte in the manifest reads as damage, not as another version.
  const sum = files.get(MANIFEST_SUM_ENTRY);
  if (sum && new TextDecoder().decode(sum) !== sumLine(raw))
    throw new BackupFileError("Tệp sao lưu bị hỏng: manifest.json không khớp mã kiểm tra.");
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new BackupFileError("Tệp sao lưu bị hỏng: manifest.json không đọc được.");
  }
  const head = z.object({ format: z.literal(FORMAT), version: z.number() }).safeParse(json);
  if (!head.success) throw new BackupFileError("Tệp không phải bản sao lưu của Bồi Dưỡng.");
  if (head.data.version !== FORMAT_VERSION)
    throw new BackupFileError(
      `Bản sao lưu có định dạng phiên bản ${head.data.version}; chương trình này chỉ đọc phiên bản ${FORMAT_VERSION}. Hãy dùng phiên bản Bồi Dưỡng đã tạo ra bản sao lưu.`,
    );
  if (!sum) throw new BackupFileError("Tệp sao lưu bị hỏng: thiếu mã kiểm tra của manifest.json.");
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new BackupFileError("Tệp sao lưu bị hỏng: manifest.json thiếu hoặc sai thông tin.");
  const manifest = parsed.data;
  const take = (ref: z.infer<typeof entryRef>) => {
    const b = files.get(ref.file);
    if (!b) throw new BackupFileError(`Tệp sao lưu bị hỏng: thiếu ${ref.file}.`);
    if (b.length !== ref.bytes || sha256(b) !== ref.sha256)
      throw new BackupFileError(`Tệp sao lưu bị hỏng: ${ref.file} không khớp mã kiểm tra.`);
    return b;
  };
  const database = take(manifest.database);
  const sealKey = manifest.sealKey ? take(manifest.sealKey) : null;
  if (manifest.migration && !knownMigrations.includes(manifest.migration))
    throw new BackupFileError(
      `Bản sao lưu được tạo bởi phiên bản Bồi Dưỡng mới hơn (migration ${manifest.migration}); hãy cập nhật chương trình trước khi khôi phục.`,
    );
  return { manifest, database, sealKey };
}
