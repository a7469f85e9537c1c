import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { checkLine } from "../../server/document-register/citations";
import { checkDocumentRegister, distractorLines } from "../../server/document-register/check";
import { parseRegister, readRegister, type DocumentRegister } from "../../server/document-register/register";

const run = promisify(execFile);

function register(): DocumentRegister {
  const { register, problems } = readRegister();
  expect(problems).toEqual([]);
  return register!;
}

/** A copy of the content a test may edit without touching the repository. */
function contentCopy() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "documents-"));
  for (const dir of ["content/curricula", "content/question-banks", "content/documents"])
    fs.cpSync(dir, path.join(root, dir), { recursive: true });
  return root;
}

describe("the register of source documents (issue #16)", () => {
  it("every citation in the shipped lessons and banks is in the register and none teaches a replaced document as current", () => {
    const report = checkDocumentRegister();
    expect(report.problems).toEqual([]);
    expect(report.documents).toBeGreaterThan(40);
  });

  it("refuses a replaced document cited as current and names the one in force; a line that says it was replaced passes", () => {
    const r = register();
    expect(checkLine('    source: "Quy định 22-QĐ/TW (2021)"', r)).toEqual([
      expect.objectContaining({ number: "22-QĐ/TW", message: expect.stringContaining("296-QĐ/TW") }),
    ]);
    // The chain 24 → 232 → 294: either newer one on the line is enough, as is saying it was replaced.
    expect(checkLine("Quy định 24-QĐ/TW (2021)", r)[0].message).toContain("294-QĐ/TW");
    expect(checkLine("Quy định 294-QĐ/TW (2025), thay Quy định 24-QĐ/TW (2021)", r)).toEqual([]);
    expect(checkLine("Quy định 24-QĐ/TW (2021) đã được thay thế", r)).toEqual([]);
    expect(checkLine("Quy định 296-QĐ/TW (2025)", r)).toEqual([]);
  });

  it("refuses a document number the register does not hold, with what to do", () => {
    expect(checkLine("theo Quy định 999-QĐ/TW (2024)", register())).toEqual([
      { number: "999-QĐ/TW", message: expect.stringContaining("chưa có trong sổ văn bản nguồn") },
    ]);
  });

  it("lets a bank offer a replaced document as a wrong answer, never as the right one", () => {
    const r = register();
    const bank = (correct: number) =>
      [
        "  - key: demo-1",
        '    stem: "Văn bản nào hiện quy định thể thức văn bản của Đảng?"',
        "    options:",
        '      - "Quy định số 399-QĐ/TW (2026)"',
        '      - "Quy định số 66-QĐ/TW (2017)"',
        `    correct: [${correct}]`,
      ].join("\n");
    const problemsIn = (text: string) => {
      const lines = text.split("\n");
      const skip = distractorLines(lines);
      return lines.flatMap((l, i) => (skip.has(i) ? [] : checkLine(l, r).map(() => i + 1)));
    };
    expect(problemsIn(bank(0))).toEqual([]);
    expect(problemsIn(bank(1))).toEqual([5]);
  });

  it("asks for the year when two documents share a number", () => {
    const text = fs
      .readFileSync("content/documents/register.yaml", "utf8")
      .replace(
        "documents:\n",
        "documents:\n  - number: 19-NQ/TW\n    title: Nghị quyết về đơn vị sự nghiệp công lập\n    issuer: Ban Chấp hành Trung ương\n    issued: 2017\n    status: unreviewed\n",
      );
    const { register: r, problems } = parseRegister(text);
    expect(problems).toEqual([]);
    expect(checkLine("Nghị quyết 19-NQ/TW", r!)[0].message).toContain("ghi năm ban hành");
    expect(checkLine("Nghị quyết số 19-NQ/TW (2022)", r!)).toEqual([]);
  });

  it("refuses a register entry that is replaced without saying by what, at its line", () => {
    const text =
      "documents:\n  - number: 24-QĐ/TW\n    title: Quy định về thi hành Điều lệ Đảng\n    issuer: Ban Chấp hành Trung ương\n    issued: 2021\n    status: replaced\n    checked: 2026-12-07\n    checked_against: test\n";
    const { register: r, problems } = parseRegister(text, "register.yaml");
    expect(r).toBeNull();
    expect(problems).toEqual([{ file: "register.yaml", line: 2, message: expect.stringContaining("replaced_by") }]);
  });

  it("marking a document replaced flags every lesson line and question that cites it, and documents:check fails with file:line", async () => {
    const root = contentCopy();
    const file = path.join(root, "content/documents/register.yaml");
    // Suppose the Politburo replaced the regulation on what members must not do.
    const text = fs
      .readFileSync(file, "utf8")
      .replace(
        "  - number: 37-QĐ/TW\n    title: Quy định về những điều đảng viên không được làm\n    issuer: Ban Chấp hành Trung ương\n    issued: 2021\n    status: unreviewed\n",
        "  - number: 37-QĐ/TW\n    title: Quy định về những điều đảng viên không được làm\n    issuer: Ban Chấp hành Trung ương\n    issued: 2021\n    status: replaced\n    replaced_by: [294-QĐ/TW]\n    checked: 2026-12-07\n    checked_against: test\n",
      );
    fs.writeFileSync(file, text);
    const report = checkDocumentRegister(root);
    const citing = report.problems.filter((p) => p.message.includes("37-QĐ/TW"));
    expect(citing.length).toBeGreaterThan(3);
    expect(new Set(citing.map((p) => p.file.split("/")[1]))).toEqual(new Set(["curricula", "question-banks"]));
    const cli = await run("npx", ["tsx", "server/cli/main.ts", "documents:check", "--root", root]).catch((e) => e);
    expect(cli.code).toBe(3);
    expect(cli.stdout).toContain(`${citing[0].file}:${citing[0].line}: trích 37-QĐ/TW như văn bản hiện hành`);
  }, 60_000);
});
