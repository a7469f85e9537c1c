import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Database } from "../db";
import { checkLessonBody, type GrammarProblem } from "./grammar";
import { toLessonTree } from "./lesson-tree";

export { explainMdxError } from "./mdx-errors";

/**
 * Bump when the grammar or the compiled form changes, so cached output from older
 * versions is never reused. "lesson-tree-1" replaced mdx-bundler's JavaScript
 * ("mdx-bundler-10/gfm-1"): those rows may hold code compiled from unchecked text.
 */
export const COMPILER_VERSION = "lesson-tree-1/gfm-1";

/**
 * `code` is the lesson tree as JSON text (server/curricula/lesson-tree.ts): data for
 * the lesson renderer, never JavaScript. `problems` are located refusals of the
 * closed grammar (server/curricula/grammar.ts) or syntax errors.
 */
export type CompileResult = { ok: true; code: string } | { ok: false; problems: GrammarProblem[] };

export function contentHash(text: string): string {
  return createHash("sha256").update(COMPILER_VERSION).update("\0").update(text).digest("hex");
}

/** Checks a lesson body against the closed grammar and, only if it passes, builds its tree. */
export async function compileLesson(body: string): Promise<CompileResult> {
  const checked = checkLessonBody(body);
  if (!checked.tree) return { ok: false, problems: checked.problems };
  return { ok: true, code: JSON.stringify(toLessonTree(checked.tree)) };
}

/**
 * Compiled trees by content hash: memory first, then the database, then the compiler.
 * After the first request for a text, no request compiles it again, in this process
 * or after a restart. A text is checked against the grammar in this process before
 * any stored output for it is used (decision 016): the memory map only holds texts
 * checked here, and a database row is used only after its text passes the check.
 */
export class MdxCache {
  /** The least recently used texts go first past the bound (docs/decisions/029-cache-library.md). */
  private memory: LRUCache<string, string>;
  /** Concurrent compiles of one text share one promise; not a cache (removed when settled). */
  private inflight = new Map<string, Promise<CompileResult>>();
  constructor(
    private readonly db: Database,
    maxEntries = 500,
  ) {
    this.memory = new LRUCache<string, string>({ max: maxEntries });
  }

  async get(body: string): Promise<CompileResult & { hash: string; from?: "memory" | "database" | "compiler" }> {
    const hash = contentHash(body);
    const hit = this.memory.get(hash);
    if (hit) return { ok: true, code: hit, hash, from: "memory" };
    const stored = await this.db.selectFrom("compiled_mdx").select("code").where("hash", "=", hash).executeTakeFirst();
    if (stored) {
      const checked = checkLessonBody(body);
      if (!checked.tree) return { ok: false, problems: checked.problems, hash };
      this.remember(hash, stored.code);
      return { ok: true, code: stored.code, hash, from: "database" };
    }
    let pending = this.inflight.get(hash);
    if (!pending) {
      pending = compileLesson(body).finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, pending);
    }
    const result = await pending;
    if (result.ok) {
      await this.db
        .insertInto("compiled_mdx")
        .values({ hash, code: result.code })
        .onConflict((oc) => oc.column("hash").doNothing())
        .execute();
      this.remember(hash, result.code);
    }
    return { ...result, hash, from: "compiler" };
  }

  private remember(hash: string, code: string) {
    this.memory.set(hash, code);
  }
}
