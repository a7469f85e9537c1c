import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** Poppler and LibreOffice from the machine, when present: the checks that need them skip otherwise, saying why. */

export function hasCommand(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

export function skipReason(cmd: string, pkg: string): string | undefined {
  if (hasCommand(cmd)) return undefined;
  const reason = `${cmd} not found (Debian package ${pkg}): skipping the checks that need it`;
  console.warn(reason);
  return reason;
}

const dir = mkdtempSync(join(tmpdir(), "documents-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

export function saveTemp(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

export function pdfToText(path: string, pages?: { first: number; last: number }): string {
  const range = pages ? ["-f", String(pages.first), "-l", String(pages.last)] : [];
  return execFileSync("pdftotext", ["-enc", "UTF-8", ...range, path, "-"], { encoding: "utf8" });
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
}

/** `pdffonts` rows: one per font object in the file. */
export function pdfFonts(path: string): PdfFont[] {
  const out = execFileSync("pdffonts", [path], { encoding: "utf8" });
  return out
    .split("\n")
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name, type (1–2 words), encoding, emb, sub, uni, object, id: read from the right.
      return { name: cols[0], type: cols.slice(1, -6).join(" "), embedded: cols[cols.length - 5] === "yes" };
    });
}

export function pdfPages(path: string): number {
  const out = execFileSync("pdfinfo", [path], { encoding: "utf8" });
  return Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
}

/** Text with runs of whitespace made single spaces, so that line breaks do not matter. */
export function flat(text: string): string {
  return text.replace(/\s+/g, " ");
}

export { dir as tempDir };
