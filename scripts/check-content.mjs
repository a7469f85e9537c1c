// Quick content check used while writing lessons; the full check is `npm run cli -- curricula:check`.
import { compile } from "@mdx-js/mdx";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
let bad = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  try {
    if (file.endsWith(".mdx")) {
      const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
      if (!m) throw new Error("missing frontmatter");
      const fm = parse(m[1]);
      for (const k of ["number", "title", "periods", "summary", "objectives", "sources"]) if (fm[k] == null) throw new Error(`frontmatter: missing ${k}`);
      await compile(text.slice(m[0].length));
    } else {
      const doc = parse(text);
      const keys = new Set();
      doc.questions.forEach((q, i) => {
        const where = `question ${i + 1} (${q.key})`;
        if (keys.has(q.key)) throw new Error(`${where}: duplicate key`);
        keys.add(q.key);
        if (!["single", "multiple", "true_false"].includes(q.type)) throw new Error(`${where}: bad type`);
        if (!["nhan_biet", "thong_hieu", "van_dung"].includes(q.level)) throw new Error(`${where}: bad level`);
        if (!q.stem || !q.source || !Array.isArray(q.options) || !Array.isArray(q.correct)) throw new Error(`${where}: missing field`);
        if (q.type === "single" && (q.options.length !== 4 || q.correct.length !== 1)) throw new Error(`${where}: single needs 4 options, 1 correct`);
        if (q.type === "multiple" && q.correct.length < 2) throw new Error(`${where}: multiple needs 2+ correct`);
        if (q.type === "true_false" && (q.options.join() !== "Đúng,Sai" || q.correct.length !== 1)) throw new Error(`${where}: true_false options must be Đúng, Sai`);
        if (q.correct.some((c) => c < 0 || c >= q.options.length)) throw new Error(`${where}: correct index out of range`);
      });
      const lv = {}; for (const q of doc.questions) lv[q.level] = (lv[q.level] ?? 0) + 1;
      console.log(file, doc.questions.length, "questions", JSON.stringify(lv));
    }
    console.log("ok", file);
  } catch (e) {
    bad++;
    console.log("FAIL", file, e.message, e.line ? `line ${e.line}` : "", e.place ? JSON.stringify(e.place) : "");
  }
}
process.exit(bad ? 1 : 0);
