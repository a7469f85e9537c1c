import { describe, expect, it } from "vitest";
import { buildArchive, BackupFileError, keyFingerprint, openArchive, type ManifestFacts } from "../../server/backup/archive";
import { readTar, writeTar } from "../../server/backup/tar";

const facts: ManifestFacts = {
  createdAt: "2026-12-07T10:00:00.000Z",
  takenBy: "server",
  migration: "20261207_0014_birth_date_check",
  sealKeySource: "file",
  sealKeyFingerprints: ["0123456789abcdef"],
  counts: { accounts: 3, attempts: 2, answers: 20, pendingSurveyAnswers: 1 },
};
const known = ["20261122_0001_foundation", "20261207_0014_birth_date_check"];
const database = new Uint8Array(3000).map((_, i) => (i * 7) % 256);
const key = new TextEncoder().encode("a2V5\n");

function refused(bytes: Uint8Array, migrations = known): string {
  try {
    openArchive(bytes, migrations);
  } catch (e) {
    expect(e).toBeInstanceOf(BackupFileError);
    return (e as Error).message;
  }
  throw new Error(`the archive was accepted`);
}

describe("backup archive", () => {
  it("reads back what it wrote, as a tar that tar(1) would list", () => {
    const { bytes, manifest } = buildArchive(facts, database, key);
    expect(bytes.length % 512).toBe(0);
    expect([...readTar(bytes).keys()]).toEqual(["manifest.json", "manifest.json.sha256", "pglite.tar.gz", "survey-seal.key"]);
    const opened = openArchive(bytes, known);
    expect(opened.manifest).toEqual(manifest);
    expect([...opened.database]).toEqual([...database]);
    expect(new TextDecoder().decode(opened.sealKey!)).toBe("a2V5\n");
    expect(openArchive(buildArchive(facts, database, null).bytes, known).sealKey).toBeNull();
  });

  it("refuses a changed byte anywhere, a cut-off file and a file that is not a backup", () => {
    const { bytes } = buildArchive(facts, database, key);
    // Every byte of a small archive: headers, manifest, its padding, data, the closing blocks' start.
    for (let at = 0; at < bytes.length - 1024; at++) {
      const damaged = bytes.slice();
      damaged[at]! ^= 0x01;
      let message = "";
      try {
        message = refused(damaged);
      } catch {
        throw new Error(`a change at byte ${at} (${bytes[at]}) was accepted`);
      }
      expect(message, `byte ${at}`).toMatch(/hỏng|không phải/);
    }
    expect(refused(bytes.slice(0, 2000))).toContain("bị hỏng");
    expect(refused(new TextEncoder().encode("hello".repeat(200)))).toContain("Tệp sao lưu bị hỏng hoặc không phải");
    expect(refused(writeTar([{ name: "other.txt", data: new Uint8Array(3) }]))).toContain("thiếu manifest.json");
  }, 60_000);

  it("refuses another format version and a backup from a newer program", () => {
    const other = writeTar([
      { name: "manifest.json", data: new TextEncoder().encode(JSON.stringify({ format: "boi-duong-backup", version: 2 })) },
    ]);
    expect(refused(other)).toContain("phiên bản 2");
    expect(refused(buildArchive(facts, database, key).bytes, ["20261122_0001_foundation"])).toContain("phiên bản Bồi Dưỡng mới hơn");
  });

  it("fingerprints keys without giving them away", () => {
    const a = keyFingerprint(new Uint8Array(32).fill(1));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(keyFingerprint(new Uint8Array(32).fill(2))).not.toBe(a);
  });
});
