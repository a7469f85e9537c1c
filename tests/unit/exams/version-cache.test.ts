import { describe, expect, it } from "vitest";
import { createVersionCache, type VersionView } from "../../../server/exams/version-cache";

/** The start's cache of question texts: one read per version, shared by concurrent papers. */
const view = (id: number): VersionView => ({ type: "single", stem: `Câu ${id}`, stemFormat: "plain", options: ["A", "B"] });

function counting(failFirst = false) {
  const calls: number[][] = [];
  const load = async (ids: number[]) => {
    calls.push(ids);
    await new Promise((r) => setTimeout(r, 5));
    if (failFirst && calls.length === 1) throw new Error("connection lost");
    return new Map(ids.filter((id) => id !== 404).map((id) => [id, view(id)]));
  };
  return { calls, load };
}

describe("version cache", () => {
  it("reads each version once, even for papers started at the same moment", async () => {
    const { calls, load } = counting();
    const views = createVersionCache(load);
    const papers = await Promise.all(Array.from({ length: 50 }, () => views([3, 1, 2])));
    expect(calls).toEqual([[3, 1, 2]]);
    for (const p of papers) expect([...p.keys()].sort()).toEqual([1, 2, 3]);
    expect(papers[0]!.get(2)!.stem).toBe("Câu 2");
    await views([2, 4]);
    expect(calls).toEqual([[3, 1, 2], [4]]);
  });

  it("does not keep a failed read or a missing version", async () => {
    const { calls, load } = counting(true);
    const views = createVersionCache(load);
    await expect(views([1])).rejects.toThrow("connection lost");
    expect((await views([1])).get(1)?.stem).toBe("Câu 1");
    expect((await views([404])).has(404)).toBe(false);
    await views([404]);
    expect(calls).toEqual([[1], [1], [404], [404]]);
  });

  it("stays within its bound and still answers every caller", async () => {
    const { calls, load } = counting();
    const views = createVersionCache(load, { max: 3 });
    await views([1, 2, 3]);
    const again = await views([4, 5]);
    expect([...again.keys()]).toEqual([4, 5]);
    await views([1]);
    expect(calls).toEqual([[1, 2, 3], [4, 5], [1]]);
  });

  it("drops the least recently used versions at the bound, keeping those in use", async () => {
    const { calls, load } = counting();
    const views = createVersionCache(load, { max: 3 });
    await views([1, 2, 3]);
    await views([1]);
    await views([4]);
    await views([1, 3, 4]);
    expect(calls).toEqual([[1, 2, 3], [4]]);
    await views([2]);
    expect(calls).toEqual([[1, 2, 3], [4], [2]]);
  });
});
