import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { checkLessonBody } from "../../server/curricula/grammar";
import { compileLesson } from "../../server/curricula/compile";
import { urlRefusal } from "../../server/curricula/lesson-urls";
import { checkProgrammes } from "../../server/curricula/files";
import type { LessonNode } from "../../server/curricula/lesson-tree";
import { LessonContent } from "../../app/components/lesson/lesson-content";
import { MdxPreview } from "../../app/components/lesson/mdx-preview";
import { ACCEPTED_LESSONS, HOSTILE_LESSONS } from "../fixtures/lessons/hostile";

const run = promisify(execFile);
const markerDir = fs.mkdtempSync(path.join(os.tmpdir(), "lesson-marker-"));

describe("the closed lesson grammar (decision 016)", () => {
  it("has at least 15 hostile sources", () => {
    expect(HOSTILE_LESSONS.length).toBeGreaterThanOrEqual(15);
  });

  it.each(HOSTILE_LESSONS.map((h, i) => [h.name, h, i] as const))("refuses %s at its line, and nothing runs", async (_name, h, i) => {
    const marker = path.join(markerDir, `marker-${i}`);
    const body = h.body.replaceAll("MARKER", marker);
    const checked = checkLessonBody(body);
    expect(checked.tree).toBeUndefined();
    expect(checked.problems[0]).toMatchObject({ line: h.line, message: expect.stringMatching(h.message) });
    const compiled = await compileLesson(body);
    expect(compiled.ok).toBe(false);
    expect(compiled).not.toHaveProperty("code");
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each(ACCEPTED_LESSONS.map((a) => [a.name, a] as const))("accepts %s", async (_name, a) => {
    expect(checkLessonBody(a.body).problems).toEqual([]);
    expect((await compileLesson(a.body)).ok).toBe(true);
  });

  it("compiles to a data tree, not code: a component's number prop is a number, tables hold no stray text", async () => {
    const r = await compileLesson("<SelfCheck count={5} />\n\n| a |\n|---|\n| 1 |\n");
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const tree = JSON.parse(r.code) as LessonNode[];
    expect(tree[0]).toEqual({ t: "SelfCheck", p: { count: 5 } });
    const table = tree.find((n) => typeof n !== "string" && n.t === "table");
    expect(JSON.stringify(table)).not.toMatch(/"\\n"/);
    expect(r.code).not.toMatch(/function|=>|_jsx|require\(/);
  });

  it("refuses link schemes, whatever their case, spacing or control characters", () => {
    for (const url of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      " javascript:x",
      "java\tscript:x",
      "java\nscript:x",
      "\u0001javascript:x",
      "data:text/html,x",
      "vbscript:x",
      "file:///etc/passwd",
    ])
      expect(urlRefusal(url, "link"), url).not.toBeNull();
    for (const url of [
      "https://x.vn/a?b=c:d",
      "http://x.vn",
      "mailto:a@b.vn",
      "/hoc-tap",
      "#muc-1",
      "tai-lieu.pdf",
      "?trang=2",
      "//x.vn/a",
    ])
      expect(urlRefusal(url, "link"), url).toBeNull();
    for (const url of ["mailto:a@b.vn", "https://x.vn/a.png", "//x.vn/a.png", "\\\\x.vn/a.png", "data:image/png;base64,AA"])
      expect(urlRefusal(url, "image"), url).not.toBeNull();
    expect(urlRefusal("/anh/so-do.png", "image")).toBeNull();
  });

  it("the renderer draws only listed tags, props and URLs, even from a forged tree", () => {
    const forged: LessonNode[] = [
      { t: "script", c: ["alert(1)"] },
      { t: "p", p: { onClick: "alert(1)", style: "color:red", dangerouslySetInnerHTML: "x", className: "ok" }, c: ["đoạn"] },
      { t: "a", p: { href: "javascript:alert(1)" }, c: ["liên kết"] },
      { t: "img", p: { src: "https://tracker.example/p.gif", alt: "x" } },
      { t: "iframe", p: { src: "https://evil.example" } },
      { t: "input", p: { type: "text", name: "matkhau" } },
      { t: "constructor" },
    ];
    const html = renderToString(createElement(LessonContent, { code: JSON.stringify(forged), components: {} }));
    expect(html).toBe('<p class="ok">đoạn</p><a>liên kết</a><img alt="x"/>');
  });

  it("renders the shipped components in the preview", async () => {
    const r = await compileLesson(
      '<Callout kind="remember">\n\nGhi **nhớ**.\n\n</Callout>\n\nTheo <Cite doc="Điều lệ" part="Điều 1" />.\n',
    );
    if (!r.ok) throw new Error("did not compile");
    const html = renderToString(createElement(MdxPreview, { code: r.code }));
    expect(html).toContain('<aside class="callout callout--remember" aria-label="Ghi nhớ">');
    expect(html).toContain("<strong>nhớ</strong>");
    expect(html.replaceAll("<!-- -->", "")).toContain("(Điều lệ, Điều 1)");
  });

  it("curricula:check prints file:line for each refused construct and loads nothing", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "curricula-hostile-"));
    fs.cpSync("content/curricula", root, { recursive: true });
    const file = path.join(root, "hd61/02-cuong-linh.mdx");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const at = lines.findIndex((l) => l.startsWith("## Tóm tắt"));
    const marker = path.join(markerDir, "cli-marker");
    lines.splice(
      at,
      0,
      `{process.getBuiltinModule('fs').writeFileSync('${marker}', 'ran')}`,
      "",
      '<a href="&#106;avascript:alert(1)">mở</a>',
      "",
    );
    fs.writeFileSync(file, lines.join("\n"));
    const { problems } = await checkProgrammes(root);
    expect(problems.map((p) => [path.basename(p.file), p.line])).toEqual([
      ["02-cuong-linh.mdx", at + 1],
      ["02-cuong-linh.mdx", at + 3],
    ]);
    const cli = await run("npx", ["tsx", "server/cli/main.ts", "curricula:check", "--dir", root]).catch((e) => e);
    expect(cli.code).toBe(3);
    expect(cli.stdout).toContain(`hd61/02-cuong-linh.mdx:${at + 1}: Dấu { … } là một biểu thức mã`);
    expect(cli.stdout).toContain(`hd61/02-cuong-linh.mdx:${at + 3}: Liên kết “javascript:alert(1)” không được phép`);
    expect(fs.existsSync(marker)).toBe(false);
  }, 60_000);
});
