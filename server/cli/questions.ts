import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { EXPORT_EXTENSION, type ExportFormat } from "../questions/formats";
import { CliError, type Command } from "./context";

const FORMATS = Object.keys(EXPORT_EXTENSION) as ExportFormat[];

export const commands: Record<string, Command> = {
  "questions:import": {
    summary:
      "questions:import <file> --bank <code> [--dry-run] [--json]  — import questions (xlsx, csv, docx, gift, aiken, Moodle XML); all or nothing",
    async run(ctx) {
      const { values, positionals } = parseArgs({
        args: ctx.args,
        allowPositionals: true,
        options: { bank: { type: "string" }, "dry-run": { type: "boolean" }, json: { type: "boolean" } },
      });
      const file = positionals[0];
      if (!file || !values.bank) throw new CliError("Cách dùng: questions:import <tệp> --bank <mã ngân hàng>");
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(fs.readFileSync(file));
      } catch {
        throw new CliError(`Không đọc được tệp ${file}.`);
      }
      const s = await ctx.services();
      const bank = await s.banks.bankByCode(values.bank);
      const preview = await s.banks.importPreview(null, bank.id, { name: path.basename(file), bytes });
      const errors = preview.issues.filter((i) => i.severity === "error");
      const report = {
        file: path.basename(file),
        bank: bank.code,
        valid: preview.valid,
        imported: 0,
        errors: errors.map((i) => ({ line: i.line, column: i.column, message: i.message })),
        warnings: preview.issues.filter((i) => i.severity === "warning").map((i) => ({ line: i.line, message: i.message })),
        unsupported: preview.unsupported,
        duplicates: preview.duplicates,
      };
      if (!errors.length && !values["dry-run"]) report.imported = (await s.banks.importCommit(null, preview.batchId)).imported;
      if (ctx.json) console.log(JSON.stringify(report, null, 2));
      else {
        for (const e of report.errors) console.log(`${file}:${e.line}: ${e.message}`);
        for (const w of report.warnings) console.log(`${file}:${w.line}: (cảnh báo) ${w.message}`);
        for (const u of report.unsupported) console.log(`${file}:${u.line}: loại câu hỏi “${u.kind}” chưa hỗ trợ, bỏ qua`);
        for (const d of report.duplicates)
          console.log(`${file}:${d.line}: gần trùng với câu ${d.similarTo} trong ngân hàng (${Math.round(d.similarity * 100)}%)`);
        console.log(
          values["dry-run"]
            ? `Chạy thử: ${report.valid} câu hợp lệ, ${report.errors.length} lỗi; chưa nhập gì.`
            : `Đã nhập ${report.imported} câu vào ${bank.code} (chờ duyệt).`,
        );
      }
      if (errors.length) throw new CliError(`Tệp có ${errors.length} lỗi; chưa nhập câu nào.`, 3, true);
    },
  },

  "questions:export": {
    summary: `questions:export --bank <code> --format <${FORMATS.join("|")}> --out <file> [--approved]`,
    async run(ctx) {
      const { values } = parseArgs({
        args: ctx.args,
        options: {
          bank: { type: "string" },
          format: { type: "string" },
          out: { type: "string" },
          approved: { type: "boolean" },
          json: { type: "boolean" },
        },
      });
      if (!values.bank || !values.format || !values.out)
        throw new CliError("Cách dùng: questions:export --bank <mã> --format <định dạng> --out <tệp>");
      if (!FORMATS.includes(values.format as ExportFormat))
        throw new CliError(`Định dạng “${values.format}” không có; chọn một trong: ${FORMATS.join(", ")}.`);
      const s = await ctx.services();
      const bank = await s.banks.bankByCode(values.bank);
      const r = await s.banks.export(null, bank.id, values.format as ExportFormat, values.approved ? { status: "approved" } : {});
      fs.writeFileSync(values.out, r.bytes);
      ctx.out(
        `Đã xuất ${r.count} câu ra ${values.out}${r.skipped.length ? `; bỏ qua ${r.skipped.length} câu định dạng này không chứa được` : ""}.`,
        { exported: r.count, out: values.out, skipped: r.skipped },
      );
    },
  },
};
