import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import type { Config } from "../config";
import { knownMigrations } from "../db/migrate";
import { BackupFileError, keyFingerprint, openArchive, type Manifest } from "./archive";
import { claimDataDir, DataDirBusyError, isDataDirInUse } from "./control";

/**
 * Restoring a backup into $DATA_DIR (decision 027). Everything is checked, and the new
 * folder is built and opened beside the old one, before anything is renamed: a damaged
 * file, a running server or a failure half-way leaves the current data as it was. The
 * old folder is kept as `<DATA_DIR>.before-restore-<time>`.
 */

export interface RestoreResult {
  manifest: Manifest;
  /** Where the data that was replaced now is (null: there was none). */
  previous: string | null;
  /** Set when pending survey answers need a seal key that is not where the server will look. */
  sealKeyWarning: string | null;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

function sealKeyWarning(manifest: Manifest, dataDir: string, envKeys: string | undefined): string | null {
  if (!manifest.counts.pendingSurveyAnswers || !manifest.sealKeyFingerprints.length) return null;
  const keyFile = path.join(dataDir, "survey-seal.key");
  const available = envKeys
    ? envKeys.split(",").map((k) => keyFingerprint(Buffer.from(k.trim(), "base64")))
    : fs.existsSync(keyFile)
      ? [keyFingerprint(Buffer.from(fs.readFileSync(keyFile, "utf8").trim(), "base64"))]
      : [];
  if (manifest.sealKeyFingerprints.some((f) => available.includes(f))) return null;
  return (
    `${manifest.counts.pendingSurveyAnswers} phiếu khảo sát đang chờ công bố được niêm phong bằng khóa có dấu vân tay ${manifest.sealKeyFingerprints.join(", ")}, ` +
    `nhưng khóa đó không có trong bản sao lưu${envKeys ? " và không có trong SURVEY_SEAL_KEY" : ""}. ` +
    `Hãy đặt lại khóa cũ (tệp survey-seal.key hoặc SURVEY_SEAL_KEY) trước khi khởi động máy chủ; nếu không, các phiếu đó không công bố được.`
  );
}

export async function restoreBackup(file: string, config: Pick<Config, "dataDir" | "SURVEY_SEAL_KEY">): Promise<RestoreResult> {
  const dataDir = config.dataDir;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch {
    throw new BackupFileError(`Không đọc được tệp ${file}.`);
  }
  const { manifest, database, sealKey } = openArchive(bytes, await knownMigrations());
  let tarball: Uint8Array;
  try {
    tarball = new Uint8Array(await promisify(gunzip)(database));
  } catch {
    throw new BackupFileError("Tệp sao lưu bị hỏng: không giải nén được cơ sở dữ liệu.");
  }
  if (await isDataDirInUse(dataDir)) throw new DataDirBusyError(dataDir);

  const existed = fs.existsSync(dataDir);
  // Held until the swap: no server may start on the folder while it is being replaced.
  const claim = await claimDataDir(dataDir);
  const fresh = `${dataDir}.restoring-${stamp()}`;
  let previous: string | null = null;
  try {
    fs.mkdirSync(fresh, { mode: 0o700 });
    // PGlite unpacks its own tar into the new folder; opening it and reading the
    // migration table proves the copy is a working database before it replaces anything.
    const pg = await PGlite.create(path.join(fresh, "pglite"), { loadDataDir: new Blob([tarball as Uint8Array<ArrayBuffer>]) });
    try {
      const r = await pg
        .query<{ name: string }>("select name from kysely_migration order by name desc limit 1")
        .catch(() => ({ rows: [] as { name: string }[] }));
      if ((r.rows[0]?.name ?? null) !== manifest.migration)
        throw new BackupFileError("Tệp sao lưu bị hỏng: cơ sở dữ liệu trong tệp không khớp với mô tả của nó.");
    } finally {
      await pg.close();
    }
    const oldKey = path.join(dataDir, "survey-seal.key");
    if (sealKey) fs.writeFileSync(path.join(fresh, "survey-seal.key"), sealKey, { mode: 0o600 });
    // A backup taken without the key: the key this machine already has is the one to keep.
    else if (fs.existsSync(oldKey)) fs.copyFileSync(oldKey, path.join(fresh, "survey-seal.key"));
  } catch (e) {
    await claim.close();
    fs.rmSync(fresh, { recursive: true, force: true });
    if (e instanceof BackupFileError) throw e;
    throw new BackupFileError(`Không khôi phục được: ${e instanceof Error ? e.message : String(e)}. Dữ liệu hiện tại không thay đổi.`);
  }
  await claim.close();
  const leftover = existed && fs.readdirSync(dataDir).some((n) => n !== "control.sock");
  if (leftover) {
    previous = `${dataDir}.before-restore-${stamp()}`;
    fs.renameSync(dataDir, previous);
  } else {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  try {
    fs.renameSync(fresh, dataDir);
  } catch (e) {
    if (previous) fs.renameSync(previous, dataDir);
    throw e;
  }
  return { manifest, previous, sealKeyWarning: sealKeyWarning(manifest, dataDir, config.SURVEY_SEAL_KEY) };
}
