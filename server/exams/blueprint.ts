import type { QuestionLevel, QuestionUse } from "../db/schema";
import { seededRandom, shuffle } from "../rules/random";

/**
 * The exam blueprint (ma trận đề): how many questions of each lesson × level, with
 * their points. Every paper meets it exactly; the draw is deterministic from the
 * attempt's seed, so a paper can be rebuilt for review. Pure.
 */
export interface BlueprintCell {
  lesson: number;
  level: QuestionLevel;
  count: number;
  /** Points per question in this cell. */
  points: number;
  /**
   * "essay" cells draw approved essay questions, every other cell objective ones, so an
   * existing blueprint never receives an essay. An essay cell with lesson 0 takes essays
   * of any lesson (a final essay often spans the programme).
   */
  type?: "objective" | "essay";
}

export interface Candidate {
  versionId: number;
  lesson: number;
  level: QuestionLevel;
  optionCount: number;
  essay?: boolean;
  /** Absent means "both"; see poolForKind (issue 13, item 2). */
  use?: QuestionUse;
}

/** Whether a candidate question can fill a blueprint cell. */
export function fits(cell: BlueprintCell, q: Candidate): boolean {
  const essayCell = cell.type === "essay";
  return !!q.essay === essayCell && q.level === cell.level && (q.lesson === cell.lesson || (essayCell && cell.lesson === 0));
}

/**
 * The candidates an exam of this kind may draw (issue 13, item 2): an official exam takes
 * "exam" and "both" items; a practice exam ("luyện tập", many attempts, often with the key
 * shown on review) takes "practice" and "both", so exam-only items stay out of practice.
 */
export function poolForKind(pool: Candidate[], kind: "official" | "practice"): Candidate[] {
  return pool.filter((q) => (kind === "practice" ? q.use !== "exam" : q.use !== "practice"));
}

export interface PaperItem {
  position: number;
  versionId: number;
  /** Display order of the options: optionOrder[i] is the stored option index shown i-th. */
  optionOrder: number[];
  points: number;
}

export interface BlueprintProblem {
  lesson: number;
  level: QuestionLevel;
  needed: number;
  available: number;
}

/** Cells the pool cannot fill: a blueprint is checked before any paper is drawn. */
export function checkBlueprint(cells: BlueprintCell[], pool: Candidate[]): BlueprintProblem[] {
  return cells.flatMap((c) => {
    const available = pool.filter((q) => fits(c, q)).length;
    return available < c.count ? [{ lesson: c.lesson, level: c.level, needed: c.count, available }] : [];
  });
}

export function totalPoints(cells: BlueprintCell[]): number {
  return cells.reduce((s, c) => s + c.count * c.points, 0);
}

export function drawPaper(
  cells: BlueprintCell[],
  pool: Candidate[],
  seed: string,
  opts: { shuffleQuestions: boolean; shuffleOptions: boolean },
): PaperItem[] {
  const problems = checkBlueprint(cells, pool);
  if (problems.length) throw new Error(`blueprint cannot be met: ${JSON.stringify(problems)}`);
  const random = seededRandom(seed);
  // Pool order must not depend on query order: sort by version id first.
  const sorted = [...pool].sort((a, b) => a.versionId - b.versionId);
  const chosen: { c: Candidate; points: number }[] = [];
  for (const cell of cells) {
    // A question already drawn for another cell (an "any lesson" essay cell overlaps the others) is not drawn twice.
    const inCell = sorted.filter((q) => fits(cell, q) && !chosen.some((x) => x.c.versionId === q.versionId));
    for (const c of shuffle(inCell, random).slice(0, cell.count)) chosen.push({ c, points: cell.points });
  }
  const ordered = opts.shuffleQuestions ? shuffle(chosen, random) : chosen;
  return ordered.map(({ c, points }, i) => ({
    position: i + 1,
    versionId: c.versionId,
    optionOrder: opts.shuffleOptions ? shuffle([...Array(c.optionCount).keys()], random) : [...Array(c.optionCount).keys()],
    points,
  }));
}
