import type { Database } from "../db";
import type { FigureHooks } from "../service-deps";
import { refreshClassFigures } from "./refresh";

export type { FigureHooks };

/** No precomputed figures (a seed script, a unit test). */
export const NO_FIGURE_HOOKS: FigureHooks = { classChanged: async () => {}, examChanged: async () => {} };

/**
 * The dashboards' refresher: coalesced per class, so a mass submission of 100 papers
 * triggers one or two refreshes of that class, not a hundred; a refresh asked for while
 * one runs runs once after it. Awaiting a hook waits for the refresh that includes the change.
 */
export function createFigureRefresher(db: Database, onError: (e: unknown) => void = () => {}) {
  const running = new Map<number, Promise<void>>();
  const dirty = new Set<number>();

  function refreshClass(classId: number): Promise<void> {
    const current = running.get(classId);
    if (current) {
      // The running loop sees the flag and refreshes once more before it resolves.
      dirty.add(classId);
      return current;
    }
    const run = (async () => {
      try {
        do {
          dirty.delete(classId);
          await refreshClassFigures(db, [classId]);
        } while (dirty.has(classId));
      } finally {
        running.delete(classId);
      }
    })();
    running.set(classId, run);
    return run;
  }

  async function refreshExam(examId: number): Promise<void> {
    const exam = await db.selectFrom("exam").select(["class_id", "kind"]).where("id", "=", examId).executeTakeFirst();
    // Practice tests are outside every figure.
    if (exam && exam.kind === "official") await refreshClass(exam.class_id);
  }

  const safe = (f: (id: number) => Promise<void>) => async (id: number) => {
    try {
      await f(id);
    } catch (e) {
      onError(e);
    }
  };

  return {
    refreshClass,
    refreshExam,
    hooks: { classChanged: safe(refreshClass), examChanged: safe(refreshExam) } satisfies FigureHooks,
    /** Waits for refreshes in flight (tests, the generator). */
    async settled() {
      while (running.size) await Promise.all([...running.values()]);
    },
  };
}

export type FigureRefresher = ReturnType<typeof createFigureRefresher>;
