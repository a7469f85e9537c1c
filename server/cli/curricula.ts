import { parseArgs } from "node:util";
import { checkProgrammes, readProgrammes } from "../curricula/files";
import { checkPeriods } from "../curricula/rules";
import { CliError, type Command } from "./context";

export const commands: Record<string, Command> = {
  "curricula:check": {
    summary: "curricula:check [--dir content/curricula] [--json]  — validate every programme; file:line for each problem",
    async run(ctx) {
      const { values } = parseArgs({ args: ctx.args, options: { dir: { type: "string" }, json: { type: "boolean" } } });
      const { programmes, problems } = await checkProgrammes(values.dir);
      const lessons = programmes.reduce((n, p) => n + p.lessons.length, 0);
      if (ctx.json) console.log(JSON.stringify({ ok: problems.length === 0, programmes: programmes.length, lessons, problems }, null, 2));
      else {
        for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`);
        console.log(
          problems.length
            ? `${problems.length} lỗi trong ${programmes.length} chương trình, ${lessons} bài.`
            : `Hợp lệ: ${programmes.length} chương trình, ${lessons} bài.`,
        );
      }
      if (problems.length) throw new CliError(`${problems.length} lỗi nội dung chương trình.`, 3, true);
    },
  },

  "curricula:list": {
    summary: "curricula:list [--json]  — programmes with their lessons, activities and periods",
    async run(ctx) {
      const { values } = parseArgs({ args: ctx.args, options: { dir: { type: "string" }, json: { type: "boolean" } } });
      const { programmes, problems } = readProgrammes(values.dir);
      if (problems.length) throw new CliError(`Nội dung có ${problems.length} lỗi; chạy curricula:check để xem.`, 3);
      const list = programmes.map((p) => {
        const m = p.manifest!;
        const lessons = p.lessons.map((l) => ({
          number: l.frontmatter!.number,
          title: l.frontmatter!.title,
          periods: l.frontmatter!.periods,
          file: l.file,
          unconfirmed: l.frontmatter!.unconfirmed,
        }));
        const periods = checkPeriods(
          lessons.map((l) => ({ label: l.title, periods: l.periods })),
          m.activities.map((a) => ({ label: a.title, periods: a.periods })),
          m.totalPeriods,
          m.periodsPerSession,
        );
        return {
          code: m.code,
          name: m.name,
          guideline: m.guideline,
          assessment: m.assessment,
          totalPeriods: m.totalPeriods,
          sessions: periods.sessions,
          lessons,
          activities: m.activities,
          unconfirmed: m.unconfirmed,
        };
      });
      if (ctx.json) console.log(JSON.stringify(list, null, 2));
      else
        for (const p of list) {
          console.log(`${p.code.toUpperCase()} — ${p.name} (${p.guideline.number}), ${p.totalPeriods} tiết = ${p.sessions} buổi`);
          for (const l of p.lessons) console.log(`  Bài ${l.number}. ${l.title} — ${l.periods} tiết`);
          for (const a of p.activities) console.log(`  · ${a.title} — ${a.periods} tiết`);
        }
    },
  },
};
