/**
 * What a trainee's paper shows of each question version, kept in memory.
 *
 * A version pinned to a paper is frozen (`used`: editing it makes a new version), so
 * its text never changes and can be cached without invalidation. At a synchronised
 * start thousands of papers draw on the same few dozen versions; reading their stems
 * and options once, instead of once per paper, takes most of the start's database and
 * JSON-parsing work away. Concurrent misses for the same version share one query.
 * Only what the trainee may see is kept: never the key.
 */
import { LRUCache } from "lru-cache";
import type { QuestionType } from "../db/schema";

export interface VersionView {
  type: QuestionType;
  stem: string;
  stemFormat: "plain" | "html";
  /** Sanitised HTML of an HTML stem, images addressed through MEDIA_PLACEHOLDER; null for plain stems. */
  stemHtml?: string | null;
  /** Option texts in stored order. */
  options: string[];
}

export function createVersionCache(load: (ids: number[]) => Promise<Map<number, VersionView>>, opts: { max?: number } = {}) {
  // Least recently used versions go first once the bound is reached (docs/decisions/029-cache-library.md).
  const entries = new LRUCache<number, Promise<VersionView | undefined>>({ max: opts.max ?? 20_000 });

  return async function views(ids: number[]): Promise<Map<number, VersionView>> {
    const unique = [...new Set(ids)];
    // Each caller keeps the promises it took, so an eviction by another caller cannot drop them.
    const wanted = new Map<number, Promise<VersionView | undefined>>();
    const missing: number[] = [];
    for (const id of unique) {
      const hit = entries.get(id);
      if (hit) wanted.set(id, hit);
      else missing.push(id);
    }
    if (missing.length) {
      const batch = load(missing);
      for (const id of missing) {
        const one = batch.then((m) => m.get(id));
        entries.set(id, one);
        wanted.set(id, one);
        // A failed read is not cached: the next paper tries again.
        const drop = () => entries.peek(id) === one && entries.delete(id);
        one.then((v) => v === undefined && drop(), drop);
      }
    }
    const out = new Map<number, VersionView>();
    for (const id of unique) {
      const v = await wanted.get(id)!;
      if (v) out.set(id, v);
    }
    return out;
  };
}
