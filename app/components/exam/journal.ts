/**
 * The browser's journal of answers not yet acknowledged by the server, in IndexedDB
 * (localStorage when IndexedDB is unavailable). An answer is written here before it is
 * sent and removed only when the server acknowledges a sequence number at least as
 * high, so a closed tab, a dead battery or an offline spell loses nothing.
 */
export interface JournalEntry {
  attemptId: number;
  position: number;
  chosen: number[];
  flagged: boolean;
  seq: number;
  /** An essay's draft text: the entry is stored whole, so an unsent draft survives like a choice. */
  text?: string;
}

const DB = "boi-duong-exam";
const STORE = "journal";

function openDb(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === "undefined") return Promise.resolve(null);
  return new Promise((resolve) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
  });
}

const key = (attemptId: number, position: number) => `${attemptId}:${position}`;
const lsKey = (attemptId: number) => `exam-journal-${attemptId}`;

export class Journal {
  private db: Promise<IDBDatabase | null> = openDb();
  constructor(private readonly attemptId: number) {}

  private lsRead(): Record<string, JournalEntry> {
    try {
      return JSON.parse(localStorage.getItem(lsKey(this.attemptId)) ?? "{}");
    } catch {
      return {};
    }
  }

  private lsWrite(all: Record<string, JournalEntry>) {
    if (Object.keys(all).length) localStorage.setItem(lsKey(this.attemptId), JSON.stringify(all));
    else localStorage.removeItem(lsKey(this.attemptId));
  }

  /**
   * Journals an answer before it is sent. If IndexedDB refuses the write (storage full,
   * a database closed by the browser), localStorage keeps it. Never rejects, so the
   * answer is sent even when no store takes it; resolves false in that case.
   */
  async put(e: JournalEntry): Promise<boolean> {
    const db = await this.db;
    if (db) {
      try {
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(STORE, "readwrite");
          tx.objectStore(STORE).put({ key: key(e.attemptId, e.position), ...e });
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
        return true;
      } catch {
        // Fall through to localStorage.
      }
    }
    try {
      const all = this.lsRead();
      all[key(e.attemptId, e.position)] = e;
      this.lsWrite(all);
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the entry if the acknowledged sequence number covers it (in both stores). */
  async ack(position: number, seq: number): Promise<void> {
    const k = key(this.attemptId, position);
    const all = this.lsRead();
    if (all[k] && all[k]!.seq <= seq) {
      delete all[k];
      try {
        this.lsWrite(all);
      } catch {
        // A stale localStorage entry is harmless: its replay is acknowledged as a no-op.
      }
    }
    const db = await this.db;
    if (!db) return;
    await new Promise<void>((resolve) => {
      try {
        const tx = db.transaction(STORE, "readwrite");
        const store = tx.objectStore(STORE);
        const get = store.get(k);
        get.onsuccess = () => {
          if (get.result && get.result.seq <= seq) store.delete(k);
        };
        tx.oncomplete = () => resolve();
        tx.onerror = () => resolve();
        tx.onabort = () => resolve();
      } catch {
        resolve();
      }
    });
  }

  /** Unacknowledged answers of this attempt, the newest per question from either store. */
  async pending(): Promise<JournalEntry[]> {
    const db = await this.db;
    const stored: JournalEntry[] = db
      ? await new Promise((resolve) => {
          try {
            const tx = db.transaction(STORE, "readonly");
            const req = tx.objectStore(STORE).getAll();
            req.onsuccess = () =>
              resolve(
                (req.result as (JournalEntry & { key: string })[])
                  .filter((e) => e.attemptId === this.attemptId)
                  .map(({ key: _key, ...e }) => e),
              );
            req.onerror = () => resolve([]);
          } catch {
            resolve([]);
          }
        })
      : [];
    const newest = new Map<number, JournalEntry>();
    for (const e of [...stored, ...Object.values(this.lsRead())]) if ((newest.get(e.position)?.seq ?? 0) < e.seq) newest.set(e.position, e);
    return [...newest.values()];
  }
}
