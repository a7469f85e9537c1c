import { parseArgs } from "node:util";
import { checkDocumentRegister } from "../document-register/check";
import { CliError, type Command } from "./context";

export const commands: Record<string, Command> = {
  "documents:check": {
    summary:
      "documents:check [--root .] [--json]  — every citation in lessons and banks against content/documents/register.yaml; file:line for each problem",
    async run(ctx) {
      const { values } = parseArgs({ args: ctx.args, options: { root: { type: "string" }, json: { type: "boolean" } } });
      const report = checkDocumentRegister(values.root ?? process.cwd());
      if (ctx.json) console.log(JSON.stringify({ ok: report.problems.length === 0, ...report }, null, 2));
      else {
        for (const p of report.problems) console.log(`${p.file}:${p.line}: ${p.message}`);
        console.log(
          report.problems.length
            ? `${report.problems.length} lỗi trích dẫn văn bản.`
            : `Hợp lệ: ${report.documents} văn bản trong sổ; ${report.unreviewed.length} văn bản chưa rà soát hiệu lực${report.unreviewed.length ? ` (${report.unreviewed.join(", ")})` : ""}.`,
        );
      }
      if (report.problems.length) throw new CliError(`${report.problems.length} lỗi trích dẫn văn bản.`, 3, true);
    },
  },
};
