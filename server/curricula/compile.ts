import { createHash } from "node:crypto";
import { bundleMDX } from "mdx-bundler";
import remarkGfm from "remark-gfm";
import type { Database } from "../db";

/** Bump when compile options change, so cached code from older options is not reused. */
const COMPILER_VERSION = "mdx-bundler-10/gfm-1";

export type CompileResult = { ok: true; code: string } | { ok: false; line: number; column: number; message: string };

export function contentHash(text: string): string {
  return createHash("sha256").update(COMPILER_VERSION).update("\0").update(text).digest("hex");
}

/** Common MDX mistakes, explained in Vietnamese with the fix; anything else keeps its original wording. */
export function explainMdxError(raw: string): string {
  const msg = raw.replace(/^Cannot process MDX file with esbuild:\s*/s, "").replace(/^\s*\d+:\d+(-\d+:\d+)?:\s*/, "").trim();
  let m: RegExpExecArray | null;
  if ((m = /Expected a closing tag for `<(\w+)>`/.exec(msg))) return `Thẻ <${m[1]}> chưa được đóng: thêm </${m[1]}> (để một dòng trống trước và sau nội dung bên trong).`;
  if ((m = /Unexpected closing tag `<\/(\w+)>`/.exec(msg))) return `Thẻ đóng </${m[1]}> không khớp với thẻ mở nào.`;
  if (/expected a corresponding closing brace for `\{`/.test(msg) || /Could not parse expression/.test(msg))
    return "Dấu { mở một biểu thức nhưng không được đóng. Nếu muốn viết dấu ngoặc nhọn trong văn bản, hãy dùng &#123; và &#125;.";
  if (/Unexpected character .* before name/.test(msg) || /Unexpected character `[ \d=]`/.test(msg))
    return "Dấu < bắt đầu một thẻ. Nếu muốn viết dấu nhỏ hơn trong văn bản, hãy dùng &lt; hoặc viết “nhỏ hơn”.";
  if (/Unexpected end of file/.test(msg)) return `Tệp kết thúc khi một thẻ hoặc biểu thức còn dang dở (${msg}).`;
  return `Lỗi cú pháp MDX: ${msg}`;
}

export async function compileMdx(body: string): Promise<CompileResult> {
  try {
    const { code } = await bundleMDX({
      source: body,
      mdxOptions(options) {
        options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm];
        return options;
      },
      esbuildOptions: (options) => ({ ...options, logLevel: "silent", minify: true }),
    });
    return { ok: true, code };
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { line: number; column: number } | null; detail?: { cause?: { message?: string } } }[] }).errors?.[0];
    const text = first?.text ?? (e instanceof Error ? e.message : String(e));
    // Where the error is: an "(L:C-L:C)" span in the MDX cause (unclosed tags), else the
    // "L:C:" prefix of the plugin's text, else esbuild's own location.
    const span = /\((\d+):(\d+)(?:-\d+:\d+)?\)/.exec(first?.detail?.cause?.message ?? text);
    const inner = /^\s*(\d+):(\d+)/.exec(text.replace(/^Cannot process MDX file with esbuild:\s*/, ""));
    const at = span ?? inner;
    return {
      ok: false,
      line: at ? Number(at[1]) : (first?.location?.line ?? 1),
      column: at ? Number(at[2]) : (first?.location?.column ?? 0) + 1,
      message: explainMdxError(first?.detail?.cause?.message ?? text),
    };
  }
}

/**
 * Compiled code by content hash: memory first, then the database, then esbuild.
 * After the first request for a text, no request compiles it again, in this process
 * or after a restart.
 */
export class MdxCache {
  private memory = new Map<string, string>();
  private inflight = new Map<string, Promise<CompileResult>>();
  constructor(private readonly db: Database, private readonly maxEntries = 500) {}

  async get(body: string): Promise<CompileResult & { hash: string; from?: "memory" | "database" | "compiler" }> {
    const hash = contentHash(body);
    const hit = this.memory.get(hash);
    if (hit) return { ok: true, code: hit, hash, from: "memory" };
    const stored = await this.db.selectFrom("compiled_mdx").select("code").where("hash", "=", hash).executeTakeFirst();
    if (stored) {
      this.remember(hash, stored.code);
      return { ok: true, code: stored.code, hash, from: "database" };
    }
    let pending = this.inflight.get(hash);
    if (!pending) {
      pending = compileMdx(body).finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, pending);
    }
    const result = await pending;
    if (result.ok) {
      await this.db.insertInto("compiled_mdx").values({ hash, code: result.code }).onConflict((oc) => oc.column("hash").doNothing()).execute();
      this.remember(hash, result.code);
    }
    return { ...result, hash, from: "compiler" };
  }

  private remember(hash: string, code: string) {
    if (this.memory.size >= this.maxEntries) this.memory.delete(this.memory.keys().next().value!);
    this.memory.set(hash, code);
  }
}
