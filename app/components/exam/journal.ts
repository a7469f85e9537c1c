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

  async put(e: JournalEntry): Promise<void> {
    const db = await this.db;
    if (!db) {
      const all = this.lsRead();
      all[key(e.attemptId, e.position)] = e;
      localStorage.setItem(lsKey(this.attemptId), JSON.stringify(all));
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, "readwrite");
      tx.objectStore(STORE).put({ key: key(e.attemptId, e.position), ...e });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }

  /** Removes the entry if the acknowledged sequence number covers it. */
  async ack(position: number, seq: number): Promise<void> {
    const db = await this.db;
    if (!db) {
      const all = this.lsRead();
      const k = key(this.attemptId, position);
      if (all[k] && all[k]!.seq <= seq) delete all[k];
      localStorage.setItem(lsKey(this.attemptId), JSON.stringify(all));
      return;
    }
    await new Promise<void>((resolve) => {
      const tx = db.transaction(STORE, "readwrite");
      const store = tx.objectStore(STORE);
      const get = store.get(key(this.attemptId, position));
      get.onsuccess = () => {
        if (get.result && get.result.seq <= seq) store.delete(key(this.attemptId, position));
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => resolve();
    });
  }

  async pending(): Promise<JournalEntry[]> {
    const db = await this.db;
    if (!db) return Object.values(this.lsRead());
    return new Promise((resolve) => {
      const tx = db.transaction(STORE, "readonly");
      const req = tx.objectStore(STORE).getAll();
      req.onsuccess = () => resolve((req.result as (JournalEntry & { key: string })[]).filter((e) => e.attemptId === this.attemptId));
      req.onerror = () => resolve([]);
    });
  }
}
