import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Config } from "../config";

/**
 * The survey seal keys (decision 017): from SURVEY_SEAL_KEY, or else a key generated
 * once in the data folder. The file appears whole and only once (written aside, then
 * hard-linked into place), so processes sharing the folder agree on one key; it is never written to the database, whose copies (backups,
 * replicas, dumps) must not be enough to open a pending answer.
 */
export function loadSealKeys(config: Pick<Config, "SURVEY_SEAL_KEY" | "dataDir">): Buffer[] {
  if (config.SURVEY_SEAL_KEY) return config.SURVEY_SEAL_KEY.split(",").map((k) => Buffer.from(k.trim(), "base64"));
  const file = path.join(config.dataDir, "survey-seal.key");
  mkdirSync(config.dataDir, { recursive: true });
  const aside = `${file}.${randomBytes(6).toString("hex")}`;
  writeFileSync(aside, randomBytes(32).toString("base64") + "\n", { mode: 0o600 });
  try {
    linkSync(aside, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    unlinkSync(aside);
  }
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return [key];
}
