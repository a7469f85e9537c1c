import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderPartyDocumentDocx } from "../../../server/documents/docx";
import { sampleResultsNotice } from "../../../server/documents/samples";

const has = (tool: string) => spawnSync("which", [tool]).status === 0;
const soffice = has("soffice") ? "soffice" : has("libreoffice") ? "libreoffice" : null;
const missing = !soffice
  ? "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
  : !has("pdftotext")
    ? "pdftotext is not installed: apt-get install poppler-utils"
    : null;
if (missing) console.warn(`SKIPPED docx-libreoffice: ${missing}`);

// Issue 14, item 9: in LibreOffice "ĐẢNG CỘNG SẢN VIỆT NAM" wrapped onto two lines.
describe.skipIf(missing !== null)("the .docx notice as LibreOffice lays it out", () => {
  it('keeps the header\'s "ĐẢNG CỘNG SẢN VIỆT NAM" on one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), "docx-lo-"));
    try {
      writeFileSync(join(dir, "notice.docx"), await renderPartyDocumentDocx(sampleResultsNotice()));
      // Its own profile: another LibreOffice running on the machine must not lock this one out.
      execFileSync(
        soffice!,
        [
          `-env:UserInstallation=${pathToFileURL(join(dir, "profile")).href}`,
          "--headless",
          "--convert-to",
          "pdf",
          "--outdir",
          dir,
          join(dir, "notice.docx"),
        ],
        { stdio: "ignore", timeout: 240_000 },
      );
      const text = execFileSync("pdftotext", ["-layout", "-l", "1", join(dir, "notice.pdf"), "-"]).toString();
      const head = text.split("\n").slice(0, 6);
      expect(
        head.some((line) => line.includes("ĐẢNG CỘNG SẢN VIỆT NAM")),
        head.join("\n"),
      ).toBe(true);
      expect(
        head.some((line) => /^\s*NAM\s*$/.test(line) || /\bNAM\s*$/.test(line.replace("VIỆT NAM", ""))),
        head.join("\n"),
      ).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
