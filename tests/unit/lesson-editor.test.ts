import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  FIELD_ORDER,
  readForm,
  splitSource,
  withBody,
  withYaml,
  writeField,
  yamlScalar,
  type FormValues,
} from "../../app/components/lesson-editor/frontmatter";
import {
  calloutBlock,
  citeSnippet,
  escapeText,
  imageSnippet,
  imagesIn,
  insertBlock,
  keyPointsBlock,
  linkSnippet,
  prefixLines,
  selfCheckBlock,
  tableBlock,
  wrapInline,
} from "../../app/components/lesson-editor/snippets";
import { parseLessonSource } from "../../server/curricula/source";
import { checkLessonBody } from "../../server/curricula/grammar";
import { compileLesson } from "../../server/curricula/compile";

const root = path.resolve(__dirname, "../../content/curricula");
const lessons = fs
  .readdirSync(root)
  .flatMap((p) =>
    fs
      .readdirSync(path.join(root, p))
      .filter((f) => f.endsWith(".mdx"))
      .map((f) => path.join(p, f)),
  )
  .map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")] as const);

function values(source: string): FormValues {
  const form = readForm(splitSource(source)!.yaml);
  if (!("values" in form)) throw new Error(form.error);
  return form.values;
}

describe("the lesson editor's frontmatter form (decision 025)", () => {
  it("finds every lesson file", () => {
    expect(lessons.length).toBeGreaterThanOrEqual(21);
  });

  it.each(lessons)("%s: opened in the form and saved without edits, is byte-for-byte the same", (_file, source) => {
    const split = splitSource(source)!;
    expect(split.head + split.body).toBe(source);
    expect(withBody(source, split.body)).toBe(source);
    expect(withYaml(source, split.yaml)).toBe(source);
    // Writing every field back with the value the form shows changes no byte either.
    const v = values(source);
    let yaml = split.yaml;
    for (const name of FIELD_ORDER) yaml = writeField(yaml, name, v[name]);
    expect(withYaml(source, yaml)).toBe(source);
  });

  it.each(lessons)("%s: a new title changes the title line only, and the server reads it", (file, source) => {
    const split = splitSource(source)!;
    const title = 'Bài mới: "thử" #1 {x} – Đảng';
    const edited = withYaml(source, writeField(split.yaml, "title", title));
    const before = source.split("\n");
    const after = edited.split("\n");
    expect(after.length).toBe(before.length);
    expect(after.filter((l, i) => l !== before[i])).toEqual([`title: ${JSON.stringify(title)}`]);
    const server = parseLessonSource(edited, file);
    const original = parseLessonSource(source, file);
    expect(server.problems).toEqual([]);
    expect(server.frontmatter).toEqual({ ...original.frontmatter, title });
    expect(server.body).toBe(original.body);
  });

  it("writes lists one item a line, numbers as numbers, a flag as true/false", () => {
    const source = lessons[0]![1];
    let yaml = splitSource(source)!.yaml;
    yaml = writeField(yaml, "objectives", "Hiểu được: điều 1\n- không phải danh sách\n");
    yaml = writeField(yaml, "periods", " 7 ");
    yaml = writeField(yaml, "unconfirmed", true);
    const data = parse(yaml);
    expect(data.objectives).toEqual(["Hiểu được: điều 1", "- không phải danh sách", ""]);
    expect(data.periods).toBe(7);
    expect(data.unconfirmed).toBe(true);
    // What the form shows back is what was typed.
    expect(readForm(yaml)).toMatchObject({
      values: { objectives: "Hiểu được: điều 1\n- không phải danh sách\n", periods: "7", unconfirmed: true },
    });
    // An empty list and a non-number are kept as typed for the server to refuse with a line.
    const bad = parseLessonSource(withYaml(source, writeField(writeField(yaml, "sources", ""), "number", "ba")), "x");
    expect(bad.frontmatter).toBeNull();
    expect(bad.problems.map((p) => p.message.split(":")[0])).toEqual(expect.arrayContaining(["number", "sources"]));
  });

  it("adds a missing key in the schema's order", () => {
    expect(writeField("number: 1\nperiods: 5", "title", "A")).toBe("number: 1\ntitle: A\nperiods: 5");
    expect(writeField("title: A", "number", "2")).toBe("number: 2\ntitle: A");
    expect(writeField("", "title", "A")).toBe("title: A");
  });

  it("keeps comments and keys it does not know", () => {
    const yaml = "# đầu\nnumber: 1 # số bài\ntitle: Cũ\nextra:\n  - a\nperiods: 5";
    expect(writeField(yaml, "title", "Mới")).toBe("# đầu\nnumber: 1 # số bài\ntitle: Mới\nextra:\n  - a\nperiods: 5");
  });

  it.each([
    "a: b",
    "#x",
    "x #y",
    "- x",
    "true",
    "null",
    "123",
    "1.5",
    "2024-01-01",
    "",
    " lề",
    "lề ",
    'nháy "kép"',
    "'đơn'",
    "@a",
    "`a`",
    "[a]",
    "{a}",
    "a\\b",
    "Đường lối - xã hội",
    "&a",
    "*a",
    "!a",
    "%a",
    "|",
    ">",
  ])("writes %j as a YAML scalar that reads back the same", (s) => {
    expect(parse(`k: ${yamlScalar(s)}`).k).toBe(s);
    expect(parse(`k:\n  - ${yamlScalar(s)}`).k).toEqual([s]);
  });

  it("reports YAML it cannot read instead of guessing", () => {
    expect(readForm("title: [a")).toHaveProperty("error");
    expect(readForm("- a")).toHaveProperty("error");
    expect(readForm("")).toMatchObject({ values: { title: "", objectives: "" } });
  });
});

describe("the lesson editor's buttons", () => {
  const hostile = 'x" onclick="alert(1)" {process.exit()} <script>alert(1)</script> & [a](javascript:b)';

  it("writes lesson components that pass the closed grammar, with typed text kept as text", async () => {
    const body = [
      tableBlock(3, 2),
      imageSnippet("/anh/sơ đồ (1).png", hostile),
      linkSnippet(hostile, "https://example.org/a b"),
      calloutBlock("important", hostile).block,
      keyPointsBlock().block,
      `Theo ${citeSnippet(hostile, hostile)}.`,
      selfCheckBlock(5),
    ].join("\n\n");
    expect(checkLessonBody(body).problems).toEqual([]);
    const compiled = await compileLesson(body);
    expect(compiled.ok).toBe(true);
    const code = (compiled as { code: string }).code;
    // The hostile text arrives as a prop value or text, never as a tag or an attribute of its own.
    expect(code).not.toContain('"onclick"');
    expect(code).not.toContain('"script"');
    expect(code).toContain(JSON.stringify(hostile).slice(1, -1));
  });

  it("clamps component props to what the grammar accepts", () => {
    expect(selfCheckBlock(99)).toBe("<SelfCheck count={20} />");
    expect(selfCheckBlock(0)).toBe("<SelfCheck count={5} />");
    expect(checkLessonBody(calloutBlock("note", "").block).problems).toEqual([]);
    expect(calloutBlock("note", "").block.startsWith('<Callout kind="note">')).toBe(true);
  });

  it("makes a heading of the cursor's line, replacing a list or heading mark", () => {
    const text = "Đoạn một.\n\n- Mục\n\nĐoạn hai.";
    const at = text.indexOf("Mục");
    const r = prefixLines({ text, start: at, end: at }, () => "## ", "Tiêu đề");
    expect(r.text).toBe("Đoạn một.\n\n## Mục\n\nĐoạn hai.");
    expect(r.text.slice(r.start, r.end)).toBe("Mục");
    const empty = prefixLines({ text: "a\n\nb", start: 2, end: 2 }, () => "### ", "Tiêu đề nhỏ");
    expect(empty.text).toBe("a\n### Tiêu đề nhỏ\nb");
    expect(empty.text.slice(empty.start, empty.end)).toBe("Tiêu đề nhỏ");
  });

  it("numbers the selected lines", () => {
    const text = "một\nhai\nba";
    expect(prefixLines({ text, start: 0, end: text.length }, (i) => `${i + 1}. `, "x").text).toBe("1. một\n2. hai\n3. ba");
  });

  it("wraps the selection, or selects a placeholder", () => {
    expect(wrapInline({ text: "a b c", start: 2, end: 3 }, "**", "**", "x").text).toBe("a **b** c");
    const r = wrapInline({ text: "a ", start: 2, end: 2 }, "*", "*", "chữ nghiêng");
    expect(r.text).toBe("a *chữ nghiêng*");
    expect(r.text.slice(r.start, r.end)).toBe("chữ nghiêng");
  });

  it("puts a block on its own lines after the cursor's line, never inside a paragraph", () => {
    const text = "Đoạn một dài.\nTiếp.\n\nĐoạn hai.";
    const r = insertBlock({ text, start: 3, end: 3 }, "<SelfCheck count={5} />");
    expect(r.text).toBe("Đoạn một dài.\n\n<SelfCheck count={5} />\n\nTiếp.\n\nĐoạn hai.");
    expect(insertBlock({ text: "", start: 0, end: 0 }, "X").text).toBe("X\n");
    expect(insertBlock({ text: "a\n", start: 2, end: 2 }, "X").text).toBe("a\n\nX\n");
    const k = keyPointsBlock();
    const withK = insertBlock({ text: "a", start: 1, end: 1 }, k.block, k.select);
    expect(withK.text.slice(withK.start, withK.end)).toBe("Ý chính thứ nhất");
  });

  it("escapes typed text so that it stays text", () => {
    expect(escapeText("{a} <b> [c]")).toBe("&#123;a&#125; &lt;b&gt; \\[c\\]");
  });

  it("offers the relative images a lesson already uses", () => {
    expect(imagesIn('![a](/anh/a.png) ![b](https://x/y.png) <img src="/anh/c.png" alt="c" />')).toEqual(["/anh/a.png", "/anh/c.png"]);
  });
});
