import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Journal } from "../../../app/components/exam/journal";

/**
 * The browser journal's rules on its localStorage store (Node has no IndexedDB, which is
 * exactly the fallback path): an entry leaves only when an acknowledgement covers its
 * sequence number, the newest entry per question wins, attempts do not mix. The
 * IndexedDB path runs in the browser journey tests/e2e/exam-offline.spec.ts.
 */
class MemoryStorage {
  private m = new Map<string, string>();
  full = false;
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.full) throw new Error("QuotaExceededError");
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  keys() {
    return [...this.m.keys()];
  }
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  (globalThis as { localStorage?: unknown }).localStorage = storage;
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

const entry = (position: number, seq: number, chosen = [0], attemptId = 7) => ({ attemptId, position, chosen, flagged: false, seq });

describe("exam journal (localStorage store)", () => {
  it("keeps an entry until an acknowledgement covers its sequence number", async () => {
    const j = new Journal(7);
    expect(await j.put(entry(1, 3))).toBe(true);
    await j.ack(1, 2); // an older acknowledgement (a late replay) does not remove a newer answer
    expect((await j.pending()).map((e) => e.seq)).toEqual([3]);
    await j.ack(1, 3);
    expect(await j.pending()).toEqual([]);
    expect(storage.keys()).toEqual([]); // nothing left behind
  });

  it("holds the newest answer per question, with an essay's text", async () => {
    const j = new Journal(7);
    await j.put(entry(2, 4, [1]));
    await j.put({ ...entry(2, 5, []), text: "Bản nháp tự luận" });
    await j.put(entry(3, 6, [2]));
    const pending = (await j.pending()).sort((a, b) => a.seq - b.seq);
    expect(pending).toEqual([{ ...entry(2, 5, []), text: "Bản nháp tự luận" }, entry(3, 6, [2])]);
    // A higher acknowledgement (the server already has a newer answer) also clears it.
    await j.ack(2, 9);
    expect((await j.pending()).map((e) => e.position)).toEqual([3]);
  });

  it("keeps attempts apart", async () => {
    await new Journal(7).put(entry(1, 1));
    await new Journal(8).put(entry(1, 1, [0], 8));
    expect((await new Journal(7).pending()).map((e) => e.attemptId)).toEqual([7]);
    await new Journal(8).ack(1, 1);
    expect(await new Journal(7).pending()).toHaveLength(1);
  });

  it("never rejects when no store takes the entry, so the answer is still sent", async () => {
    storage.full = true;
    await expect(new Journal(7).put(entry(1, 1))).resolves.toBe(false);
  });
});
