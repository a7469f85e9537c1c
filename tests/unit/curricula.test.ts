import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { checkLessonNumbers, checkPeriods, examGate, parseExamRequirement } from "../../server/curricula/rules";
import { parseLessonSource } from "../../server/curricula/source";
import { checkProgrammes, readProgrammes } from "../../server/curricula/files";
import { compileLesson, explainMdxError } from "../../server/curricula/compile";
import { checkLessonBody } from "../../server/curricula/grammar";
import { compactDiff, diffLines } from "../../server/rules/line-diff";

const run = promisify(execFile);

function copyContent(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "curricula-check-"));
  fs.cpSync("content/curricula", root, { recursive: true });
  return root;
}

describe("period arithmetic", () => {
  const five = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `Bài ${i + 1}`, periods: 5 }));

  it("accepts HD 61: five lessons (one of ten periods) and four activities make 50 periods, 10 sessions", () => {
    const lessons = five(5).map((l, i) => (i === 1 ? { ...l, periods: 10 } : l));
    expect(checkPeriods(lessons, five(4), 50, 5)).toEqual({
      lessonPeriods: 30,
      activityPeriods: 20,
      total: 50,
      expected: 50,
      sessions: 10,
      problems: [],
    });
  });

  it("explains a schedule that does not add up, and a session that is not five periods", () => {
    const r = checkPeriods(five(10), five(3), 70, 4);
    expect(r.problems).toEqual([
      "Một buổi là 5 tiết, không phải 4.",
      "Tổng số tiết là 65 (50 tiết bài học + 15 tiết hoạt động), khác với 70 tiết của chương trình.",
    ]);
    expect(checkPeriods(five(1), [], 7, 5).problems.at(-1)).toMatch(/không chia hết/);
  });

  it("checks lesson numbering and the exam gate rule", () => {
    expect(checkLessonNumbers([1, 2, 3])).toEqual([]);
    expect(checkLessonNumbers([1, 3])).toEqual(["Bài thứ 2 theo thứ tự tệp lại mang số 3."]);
    expect(parseExamRequirement("all", [1, 2, 3])).toEqual([1, 2, 3]);
    expect(parseExamRequirement("none", [1, 2, 3])).toEqual([]);
    expect(parseExamRequirement("1, 3, 9", [1, 2, 3])).toEqual([1, 3]);
    expect(examGate([1, 3], new Set([1]))).toEqual({ open: false, missing: [3] });
    expect(examGate([], new Set())).toEqual({ open: true, missing: [] });
  });
});

describe("lesson sources", () => {
  it("maps a frontmatter problem to its line and flags unknown components", () => {
    const src = "---\nnumber: 1\ntitle: Bài thử\nperiods: nhiều\nsummary: x\nobjectives: [a]\nsources: [b]\n---\n\n# A\n\n<Quiz />\n";
    const r = parseLessonSource(src, "x.mdx");
    expect(r.problems).toEqual([{ file: "x.mdx", line: 4, message: expect.stringMatching(/^periods:/) }]);
    expect(r.bodyLineOffset).toBe(8);
    expect(checkLessonBody(r.body).problems).toEqual([{ line: 4, column: 1, message: expect.stringMatching(/<Quiz> không có/) }]);
  });

  it("compiles MDX with tables and explains errors in Vietnamese with the line", async () => {
    expect((await compileLesson("| a | b |\n|---|---|\n| 1 | 2 |\n")).ok).toBe(true);
    const unclosed = await compileLesson("# A\n\ntext\n\n<Callout>\nnot closed\n");
    expect(unclosed).toMatchObject({
      ok: false,
      problems: [{ line: 5, message: expect.stringContaining("Thẻ <Callout> chưa được đóng") }],
    });
    const brace = await compileLesson("a\n\nb {oops\n");
    expect(brace).toMatchObject({ ok: false, problems: [{ line: 3, message: expect.stringContaining("Dấu {") }] });
    expect(explainMdxError("weird thing")).toBe("Lỗi cú pháp MDX: weird thing");
  });
});

describe("content/curricula", () => {
  it("passes the full check as shipped", async () => {
    const { programmes, problems } = await checkProgrammes();
    expect(problems).toEqual([]);
    expect(programmes.map((p) => [p.manifest!.code, p.lessons.length])).toEqual([
      ["hd59", 6],
      ["hd60", 10],
      ["hd61", 5],
    ]);
  }, 60_000);

  it("reports file:line for a broken copy", async () => {
    const root = copyContent();
    const lesson = path.join(root, "hd61/03-dieu-le-dang.mdx");
    const lines = fs.readFileSync(lesson, "utf8").split("\n");
    const at = lines.findIndex((l) => l.startsWith("## Tóm tắt"));
    lines.splice(at, 0, "Giá trị {chưa đóng", "");
    fs.writeFileSync(lesson, lines.join("\n"));
    const manifest = path.join(root, "hd60/programme.yaml");
    fs.writeFileSync(manifest, fs.readFileSync(manifest, "utf8").replace("totalPeriods: 70", "totalPeriods: 75"));
    const { problems } = await checkProgrammes(root);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({
      file: expect.stringMatching(/hd60\/programme\.yaml$/),
      message: expect.stringContaining("khác với 75 tiết"),
    });
    expect(problems[1]).toMatchObject({
      file: expect.stringMatching(/hd61\/03-dieu-le-dang\.mdx$/),
      line: at + 1,
      message: expect.stringContaining("Dấu {"),
    });
  }, 60_000);

  it("rejects a lesson whose number does not match its file", () => {
    const root = copyContent();
    fs.renameSync(path.join(root, "hd61/05-phan-dau-tro-thanh-dang-vien.mdx"), path.join(root, "hd61/06-phan-dau-tro-thanh-dang-vien.mdx"));
    const { problems } = readProgrammes(root);
    expect(problems.map((p) => p.message)).toContain("number: 5 không khớp với tiền tố tên tệp 06");
  });

  it("the CLI prints file:line and exits non-zero on a broken copy, zero on the shipped content", async () => {
    const root = copyContent();
    const f = path.join(root, "hd59/02-chat-luong-sinh-hoat-chi-bo.mdx");
    fs.writeFileSync(f, fs.readFileSync(f, "utf8").replace(/^title: .*$/m, "title:"));
    const broken = await run("npx", ["tsx", "server/cli/main.ts", "curricula:check", "--dir", root]).catch((e) => e);
    expect(broken.code).toBe(3);
    expect(broken.stdout).toMatch(/hd59\/02-chat-luong-sinh-hoat-chi-bo\.mdx:3: title:/);
    const ok = await run("npx", ["tsx", "server/cli/main.ts", "curricula:list", "--json"]);
    const list = JSON.parse(ok.stdout);
    expect(list.find((p: { code: string }) => p.code === "hd61")).toMatchObject({ totalPeriods: 50, sessions: 10 });
    expect(list.find((p: { code: string }) => p.code === "hd60").lessons).toHaveLength(10);
  }, 60_000);
});

describe("line diff", () => {
  it("finds added and removed lines and elides long unchanged runs", () => {
    const d = diffLines("a\nb\nc\nd\ne\nf\ng", "a\nb\nC\nd\ne\nf\ng\nh");
    expect(d.filter((l) => l.kind !== "same").map((l) => `${l.kind}:${l.text}`)).toEqual(["removed:c", "added:C", "added:h"]);
    const c = compactDiff(
      diffLines(
        Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n"),
        Array.from({ length: 20 }, (_, i) => (i === 10 ? "X" : `l${i}`)).join("\n"),
      ),
      1,
    );
    expect(c.map((l) => l.kind)).toEqual(["skip", "same", "removed", "added", "same", "skip"]);
  });
});
