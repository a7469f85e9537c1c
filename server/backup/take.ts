import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { sql } from "kysely";
import type { Config } from "../config";
import type { Database, DatabaseHandle } from "../db";
import { buildArchive, keyFingerprint, type Manifest } from "./archive";
import type { ControlHandler } from "./control";

/**
 * Taking a backup of the embedded database (decision 027): the same code runs inside the
 * server (asked over the control socket) and in the CLI when no server holds the folder.
 */

export interface TakenBackup {
  bytes: Uint8Array;
  manifest: Manifest;
  /** How long the database's one connection was held (answers waited at most this long). */
  heldMs: number;
}

async function inspect(conn: Database) {
  const count = async (table: "user_account" | "attempt" | "attempt_item" | "survey_pending") =>
    Number(
      (
        await conn
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const migration = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(conn).then(
    (r) => r.rows[0]?.name ?? null,
    () => null, // a folder never migrated
  );
  return {
    migration,
    counts: {
      accounts: await count("user_account"),
      attempts: await count("attempt"),
      answers: await count("attempt_item"),
      pendingSurveyAnswers: await count("survey_pending"),
    },
  };
}

export async function takeBackup(
  snapshot: NonNullable<DatabaseHandle["snapshot"]>,
  config: Pick<Config, "dataDir" | "SURVEY_SEAL_KEY">,
  opts: { takenBy: Manifest["takenBy"]; withSealKey: boolean },
): Promise<TakenBackup> {
  const { tarball, info, heldMs } = await snapshot(inspect);
  // Compressed after the connection is released: the exam goes on meanwhile.
  const database = new Uint8Array(await promisify(gzip)(tarball));
  const keyFile = path.join(config.dataDir, "survey-seal.key");
  let sealKeySource: Manifest["sealKeySource"] = "none";
  let sealKeyFingerprints: string[] = [];
  let sealKey: Uint8Array | null = null;
  if (config.SURVEY_SEAL_KEY) {
    // Keys from the environment live in the operator's secret store; the backup names them only.
    sealKeySource = "env";
    sealKeyFingerprints = config.SURVEY_SEAL_KEY.split(",").map((k) => keyFingerprint(Buffer.from(k.trim(), "base64")));
  } else if (fs.existsSync(keyFile)) {
    sealKeySource = "file";
    const content = fs.readFileSync(keyFile);
    sealKeyFingerprints = [keyFingerprint(Buffer.from(content.toString("utf8").trim(), "base64"))];
    if (opts.withSealKey) sealKey = new Uint8Array(content);
  }
  const { bytes, manifest } = buildArchive(
    {
      createdAt: new Date().toISOString(),
      takenBy: opts.takenBy,
      migration: info.migration,
      sealKeySource,
      sealKeyFingerprints,
      counts: info.counts,
    },
    database,
    sealKey,
  );
  return { bytes, manifest, heldMs };
}

/** The server's answer to `POST /backup[?without-seal-key]` on the control socket. */
export function backupHandler(services: {
  snapshot?: DatabaseHandle["snapshot"];
  config: Config;
  logger: { info(o: object, m: string): void };
}): ControlHandler {
  let running: Promise<unknown> = Promise.resolve();
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://control");
    if (req.method !== "POST" || url.pathname !== "/backup" || !services.snapshot) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Không có yêu cầu này.");
      return;
    }
    const snapshot = services.snapshot;
    // One backup at a time: each holds a whole copy in memory.
    const next = running.then(() =>
      takeBackup(snapshot, services.config, { takenBy: "server", withSealKey: !url.searchParams.has("without-seal-key") }),
    );
    running = next.catch(() => undefined);
    const taken = await next;
    services.logger.info(
      { bytes: taken.bytes.length, heldMs: Math.round(taken.heldMs), migration: taken.manifest.migration },
      "backup taken",
    );
    res.writeHead(200, { "content-type": "application/x-tar", "content-length": taken.bytes.length, "x-held-ms": taken.heldMs.toFixed(1) });
    res.end(taken.bytes);
  };
}
