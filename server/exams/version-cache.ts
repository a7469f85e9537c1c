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
  const max = opts.max ?? 20_000;
  const entries = new Map<number, Promise<VersionView | undefined>>();

  return async function views(ids: number[]): Promise<Map<number, VersionView>> {
    const missing = [...new Set(ids)].filter((id) => !entries.has(id));
    if (missing.length) {
      // A bound, not an LRU: clearing now and then costs one re-read per version.
      if (entries.size + missing.length > max) entries.clear();
      const batch = load(missing);
      for (const id of missing) {
        const one = batch.then((m) => m.get(id));
        entries.set(id, one);
        // A failed read is not cached: the next paper tries again.
        one.then((v) => v === undefined && entries.get(id) === one && entries.delete(id), () => entries.get(id) === one && entries.delete(id));
      }
    }
    // Taken synchronously, so a clear by another caller cannot drop them.
    const wanted = [...new Set(ids)].map((id) => [id, entries.get(id)!] as const);
    const out = new Map<number, VersionView>();
    for (const [id, view] of wanted) {
      const v = await view;
      if (v) out.set(id, v);
    }
    return out;
  };
}
