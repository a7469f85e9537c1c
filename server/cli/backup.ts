import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { loadConfig } from "../config";
import { openDatabase } from "../db";
import { knownMigrations } from "../db/migrate";
import { BackupFileError, openArchive, type Manifest } from "../backup/archive";
import { askOwner, claimDataDir, DataDirBusyError } from "../backup/control";
import { restoreBackup } from "../backup/restore";
import { takeBackup } from "../backup/take";
import { CliError, type Command } from "./context";

/** `backup` and `restore` (decision 027, docs/deployment.md#backups). */

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
const describe = (m: Manifest) =>
  `${m.counts.accounts} tài khoản, ${m.counts.attempts} bài làm, ${m.counts.answers} câu trả lời bài kiểm tra`;

/** Written beside the target and renamed: a crash never leaves half a backup under the final name. */
function writeAtomically(file: string, bytes: Uint8Array) {
  const part = `${file}.part-${randomBytes(4).toString("hex")}`;
  const fd = fs.openSync(part, "wx", 0o600);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(part, file);
}

/** pg_dump into a side file, then renamed, mode 0600 like every backup. */
function pgDump(url: string, out: string) {
  const part = `${out}.part-${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(part, "", { mode: 0o600 });
  const r = spawnSync("pg_dump", ["--format=custom", `--file=${part}`, `--dbname=${url}`], { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status === 0) {
    fs.chmodSync(part, 0o600);
    fs.renameSync(part, out);
    return;
  }
  fs.rmSync(part, { force: true });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT")
    throw new CliError(
      `Không tìm thấy pg_dump. Cài gói postgresql-client (cùng phiên bản chính với máy chủ) rồi chạy: pg_dump --format=custom --file=${out} "$DATABASE_URL"`,
    );
  throw new CliError(`pg_dump dừng với mã ${r.status}; xem thông báo ở trên.`);
}

export const commands: Record<string, Command> = {
  backup: {
    summary: "backup --out <tệp> [--without-seal-key]  — sao lưu nhất quán cả khi máy chủ đang chạy (PGlite); với DATABASE_URL gọi pg_dump",
    async run(ctx) {
      const { values } = parseArgs({
        args: ctx.args,
        options: { out: { type: "string" }, "without-seal-key": { type: "boolean" }, json: { type: "boolean" } },
      });
      if (!values.out) throw new CliError("Thiếu --out <tệp> (ví dụ: --out sao-luu/boi-duong-2026-12-07.tar).");
      const out = path.resolve(values.out);
      if (fs.existsSync(out)) throw new CliError(`Tệp ${out} đã có; chọn tên khác (bản sao lưu cũ không bị ghi đè).`);
      if (!fs.existsSync(path.dirname(out))) throw new CliError(`Thư mục ${path.dirname(out)} không có.`);
      const config = loadConfig();
      if (config.DATABASE_URL) {
        pgDump(config.DATABASE_URL, out);
        const keyNote = config.SURVEY_SEAL_KEY
          ? "Khóa niêm phong khảo sát (SURVEY_SEAL_KEY) không nằm trong bản sao lưu: giữ nó trong kho bí mật."
          : `Khóa niêm phong khảo sát nằm ở ${path.join(config.dataDir, "survey-seal.key")}: sao chép riêng tệp đó (một lần là đủ).`;
        ctx.out(`Đã sao lưu PostgreSQL vào ${out} (${mb(fs.statSync(out).size)}) bằng pg_dump. ${keyNote}`, {
          ok: true,
          file: out,
          kind: "postgres",
        });
        return;
      }
      if (!fs.existsSync(path.join(config.dataDir, "pglite")))
        throw new CliError(`Không có cơ sở dữ liệu để sao lưu ở ${config.dataDir}/pglite (kiểm tra DATA_DIR).`);
      const withoutKey = !!values["without-seal-key"];
      let bytes: Uint8Array;
      let manifest: Manifest;
      let heldMs: number | null = null;
      // The running server owns the folder: ask it for the copy.
      const fromServer = await askOwner(config.dataDir, `/backup${withoutKey ? "?without-seal-key" : ""}`).catch((e: Error) => {
        throw new CliError(`Máy chủ không sao lưu được: ${e.message}`);
      });
      if (fromServer) {
        bytes = fromServer.body;
        heldMs = Number(fromServer.headers["x-held-ms"]) || null;
        manifest = openArchive(bytes, await knownMigrations()).manifest; // the server's own file, checked as any other
      } else {
        const claim = await claimDataDir(config.dataDir).catch((e) => {
          throw e instanceof DataDirBusyError ? new CliError(e.message) : e;
        });
        try {
          const handle = await openDatabase({ dataDir: path.join(config.dataDir, "pglite") });
          try {
            const taken = await takeBackup(handle.snapshot!, config, { takenBy: "offline", withSealKey: !withoutKey });
            ({ bytes, manifest, heldMs } = taken);
          } finally {
            await handle.close();
          }
        } finally {
          await claim.close();
        }
      }
      writeAtomically(out, bytes);
      const key = manifest.sealKey
        ? "Có kèm khóa niêm phong khảo sát: giữ tệp này kín như chính thư mục dữ liệu."
        : manifest.sealKeySource === "env"
          ? "Khóa niêm phong khảo sát ở SURVEY_SEAL_KEY, không nằm trong tệp: giữ nó trong kho bí mật."
          : manifest.sealKeySource === "file"
            ? `Không kèm khóa niêm phong khảo sát: sao chép riêng ${path.join(config.dataDir, "survey-seal.key")}.`
            : "";
      ctx.out(
        `Đã sao lưu vào ${out} (${mb(bytes.length)}, ${manifest.takenBy === "server" ? "từ máy chủ đang chạy" : "máy chủ không chạy"}): ${describe(manifest)}. ${key}`.trim(),
        { ok: true, file: out, bytes: bytes.length, manifest, heldMs },
      );
    },
  },

  restore: {
    summary: "restore <tệp>  — khôi phục bản sao lưu vào DATA_DIR (máy chủ phải đang dừng; dữ liệu cũ được giữ lại bên cạnh)",
    async run(ctx) {
      const { positionals } = parseArgs({ args: ctx.args, allowPositionals: true, options: { json: { type: "boolean" } } });
      const file = positionals[0];
      if (!file) throw new CliError("Thiếu đường dẫn tệp sao lưu: restore <tệp>.");
      const config = loadConfig();
      if (config.DATABASE_URL)
        throw new CliError(
          `Với PostgreSQL, khôi phục bằng pg_restore (xem docs/deployment.md#backups): dừng máy chủ, rồi pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" ${file}`,
        );
      try {
        const r = await restoreBackup(path.resolve(file), config);
        ctx.out(
          [
            `Đã khôi phục bản sao lưu lúc ${r.manifest.createdAt} vào ${config.dataDir}: ${describe(r.manifest)}.`,
            r.previous ? `Dữ liệu trước đó được giữ ở ${r.previous}.` : "",
            r.sealKeyWarning ? `Chú ý: ${r.sealKeyWarning}` : "",
          ]
            .filter(Boolean)
            .join("\n"),
          { ok: true, manifest: r.manifest, previous: r.previous, warning: r.sealKeyWarning },
        );
      } catch (e) {
        if (e instanceof DataDirBusyError)
          throw new CliError(`Máy chủ (hoặc một lệnh khác) đang dùng ${config.dataDir}: dừng máy chủ rồi khôi phục. Chưa có gì thay đổi.`);
        if (e instanceof BackupFileError) throw new CliError(e.message);
        throw e;
      }
    },
  },
};
