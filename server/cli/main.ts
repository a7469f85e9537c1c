import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config";
import { createLogger } from "../logger";
import { createServices, type Services } from "../services";
import { migrateDownOne, migrateToLatest } from "../db/migrate";
import { openDatabase } from "../db";
import { seedDemo, DEMO_PASSWORD } from "../seed/demo";
import { createAccount } from "../accounts/service";
import { generatePassword } from "../auth/password";
import { ALL_ROLES } from "../auth/scope";
import type { Role } from "../db/schema";
import { commands as curriculaCommands } from "./curricula";
import { commands as documentCommands } from "./documents";
import { commands as questionCommands } from "./questions";
import { commands as backupCommands } from "./backup";
import { claimDataDir, DataDirBusyError, type DataDirClaim } from "../backup/control";
import { CliError, type CliContext, type Command } from "./context";

/**
 * `npm run cli -- <command> [options]`. Every command prints a one-line reason and
 * exits non-zero on failure; `--json` prints machine-readable output on stdout.
 */

const commands: Record<string, Command> = {
  migrate: {
    summary: "migrate [--down]  — apply (or undo the latest) database migrations",
    async run(ctx) {
      const { values } = parseArgs({ args: ctx.args, options: { down: { type: "boolean" }, json: { type: "boolean" } } });
      const config = loadConfig();
      await ctx.claimDataDir(config);
      const handle = await openDatabase({
        url: config.DATABASE_URL,
        dataDir: config.DATABASE_URL ? undefined : `${config.dataDir}/pglite`,
        transactionGuard: config.transactionGuard,
      });
      try {
        if (values.down) {
          const name = await migrateDownOne(handle.db);
          ctx.out(name ? `Đã hoàn tác migration ${name}` : "Không còn migration nào để hoàn tác", { undone: name });
        } else {
          const applied = await migrateToLatest(handle.db);
          ctx.out(applied.length ? `Đã áp dụng: ${applied.join(", ")}` : "Cơ sở dữ liệu đã ở phiên bản mới nhất", { applied });
        }
      } finally {
        await handle.close();
      }
    },
  },

  seed: {
    summary:
      "seed --demo | seed --scale province [--trainees N]  — demo organisation and accounts (empty database only), or a province's invented history for benchmarks",
    async run(ctx) {
      const { values } = parseArgs({
        args: ctx.args,
        options: { demo: { type: "boolean" }, scale: { type: "string" }, trainees: { type: "string" }, json: { type: "boolean" } },
      });
      if (values.scale !== undefined) {
        if (values.scale !== "province") throw new CliError(`Quy mô “${values.scale}” không có; dùng: seed --scale province`);
        const trainees = values.trainees ? Number(values.trainees) : undefined;
        if (trainees !== undefined && (!Number.isInteger(trainees) || trainees < 100))
          throw new CliError("--trainees phải là số nguyên từ 100 trở lên.");
        const s = await ctx.services();
        await s.curricula.syncFromFiles();
        await s.questions.syncSeedBanks();
        const { seedProvince } = await import("../seed/province");
        try {
          const r = await seedProvince(s.db, { trainees, log: (m) => (ctx.json ? undefined : console.error(m)) });
          ctx.out(
            `Đã tạo dữ liệu mô phỏng cấp tỉnh trong ${r.seconds} giây: ${r.trainees} học viên, ${r.classes} lớp, ${r.examAnswers} câu trả lời bài kiểm tra, ${r.surveyAnswers} câu trả lời khảo sát. Tài khoản xem: tinh.bantuyengiao / demo12345`,
            r,
          );
        } catch (e) {
          throw new CliError(e instanceof Error ? e.message : String(e));
        }
        return;
      }
      if (!values.demo) throw new CliError("Hãy chỉ rõ loại dữ liệu: seed --demo hoặc seed --scale province");
      const s = await ctx.services();
      await s.curricula.syncFromFiles();
      await s.questions.syncSeedBanks();
      const accounts = await seedDemo(s.db);
      if (!accounts) throw new CliError("Cơ sở dữ liệu đã có tài khoản; dữ liệu demo chỉ tạo trên cơ sở dữ liệu trống.");
      ctx.out(
        `Đã tạo dữ liệu demo; mật khẩu chung: ${DEMO_PASSWORD}\n${accounts.map((a) => `  ${a.username.padEnd(16)} ${a.label}`).join("\n")}`,
        { password: DEMO_PASSWORD, accounts },
      );
    },
  },

  "user:create": {
    summary: 'user:create --username U --name "Họ tên" --role R --unit <id> [--password P] [--read-only]',
    async run(ctx) {
      const { values } = parseArgs({
        args: ctx.args,
        options: {
          username: { type: "string" },
          name: { type: "string" },
          role: { type: "string" },
          unit: { type: "string" },
          password: { type: "string" },
          "read-only": { type: "boolean" },
          json: { type: "boolean" },
        },
      });
      if (!values.username || !values.name || !values.role || !values.unit)
        throw new CliError("Thiếu tham số: cần --username, --name, --role và --unit.");
      if (!ALL_ROLES.includes(values.role as Role))
        throw new CliError(`Vai trò “${values.role}” không có; chọn một trong: ${ALL_ROLES.join(", ")}.`);
      const s = await ctx.services();
      const unit = await s.db
        .selectFrom("org_unit")
        .select(["id", "name"])
        .where("id", "=", Number(values.unit) || -1)
        .executeTakeFirst();
      if (!unit) throw new CliError(`Không có đơn vị có mã ${values.unit}.`);
      const taken = await s.db
        .selectFrom("user_account")
        .select("id")
        .where("username", "=", values.username.toLowerCase())
        .executeTakeFirst();
      if (taken) throw new CliError(`Tên đăng nhập “${values.username}” đã có người dùng.`);
      const password = values.password ?? generatePassword();
      await createAccount(s.db, {
        username: values.username,
        password,
        displayName: values.name,
        mustChangePassword: !values.password,
        roles: [{ role: values.role as Role, orgUnitId: unit.id, readOnly: values["read-only"] }],
      });
      ctx.out(
        `Đã tạo tài khoản ${values.username.toLowerCase()} (${values.role}, ${unit.name})${values.password ? "" : `; mật khẩu ban đầu: ${password}`}`,
        {
          username: values.username.toLowerCase(),
          role: values.role,
          unitId: unit.id,
          password: values.password ? undefined : password,
        },
      );
    },
  },

  "users:import": {
    summary: "users:import <file.xlsx|file.csv> --as <centre admin username> [--only-valid] [--dry-run]",
    async run(ctx) {
      const { values, positionals } = parseArgs({
        args: ctx.args,
        allowPositionals: true,
        options: { as: { type: "string" }, "only-valid": { type: "boolean" }, "dry-run": { type: "boolean" }, json: { type: "boolean" } },
      });
      const file = positionals[0];
      if (!file) throw new CliError("Thiếu đường dẫn tệp danh sách học viên.");
      if (!values.as) throw new CliError("Cần --as <tên đăng nhập của cán bộ trung tâm> để xác định phạm vi đơn vị.");
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(file));
      } catch {
        throw new CliError(`Không đọc được tệp ${file}.`);
      }
      const s = await ctx.services();
      const viewer = await s.auth.viewerForUsername(values.as);
      if (!viewer) throw new CliError(`Không có tài khoản “${values.as}”.`);
      const preview = await s.accounts.previewTraineeImport(viewer, { name: path.basename(file), bytes });
      const issues = preview.issues.map((i) => ({ row: i.row, column: i.column, message: i.message }));
      const issueText = issues.map((i) => `  dòng ${i.row}, cột ${i.column}: ${i.message}`).join("\n");
      if (values["dry-run"] || (issues.length && !values["only-valid"])) {
        const summary = `${preview.rows.length}/${preview.totalRows} dòng hợp lệ, ${issues.length} lỗi${values["dry-run"] ? " (chạy thử, chưa nhập)" : ""}`;
        if (ctx.json) ctx.out("", { imported: 0, valid: preview.rows.length, total: preview.totalRows, issues });
        else console.log(`${summary}${issueText ? `\n${issueText}` : ""}`);
        if (issues.length && !values["dry-run"])
          throw new CliError("Tệp còn lỗi: chưa nhập gì. Sửa tệp, hoặc thêm --only-valid để chỉ nhập các dòng hợp lệ.", 3, true);
        return;
      }
      const creds = await s.accounts.commitTraineeImport(viewer, preview.batchId, { onlyValid: !!values["only-valid"] });
      ctx.out(
        `Đã cấp ${creds.length} tài khoản:\n${creds.map((c) => `  ${c.username}\t${c.password}\t${c.fullName}`).join("\n")}${issueText ? `\nBỏ qua:\n${issueText}` : ""}`,
        { imported: creds.length, credentials: creds, issues },
      );
    },
  },

  ...curriculaCommands,
  ...documentCommands,
  ...questionCommands,
  ...backupCommands,
};

async function main(argv: string[]) {
  const [name, ...args] = argv;
  const json = args.includes("--json");
  if (!name || name === "help" || name === "--help") {
    console.log(
      `Cách dùng: npm run cli -- <lệnh> [tùy chọn]\n\n${Object.values(commands)
        .map((c) => `  ${c.summary}`)
        .join("\n")}`,
    );
    return;
  }
  const command = commands[name];
  if (!command) throw new CliError(`Không có lệnh “${name}”. Xem: npm run cli -- help`, 2);
  let services: Services | undefined;
  let claim: DataDirClaim | undefined;
  const ctx: CliContext = {
    args,
    json,
    out(text, data) {
      if (json) console.log(JSON.stringify(data ?? { ok: true }, null, 2));
      else if (text) console.log(text);
    },
    async services() {
      if (!services) {
        const config = loadConfig();
        await ctx.claimDataDir(config);
        services = await createServices(config, { logger: createLogger(process.env.LOG_LEVEL ?? "warn") });
      }
      return services;
    },
    // The embedded database has one owner at a time (decision 027): refuse while the server runs.
    async claimDataDir(config) {
      if (config.DATABASE_URL || claim) return;
      claim = await claimDataDir(config.dataDir).catch((e) => {
        throw e instanceof DataDirBusyError ? new CliError(e.message) : e;
      });
    },
  };
  try {
    await command.run(ctx);
  } finally {
    await services?.close();
    await claim?.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
    if (process.argv.includes("--json") && !(e instanceof CliError && e.reported))
      console.log(JSON.stringify({ ok: false, error: message }));
    console.error(`Lỗi: ${message}`);
    process.exit(e instanceof CliError ? e.code : 1);
  },
);
