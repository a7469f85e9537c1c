import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  CERTIFICATE_NUMBER_RULE,
  certificateNumberPattern,
  formatCertificateNumber,
  isCertificateNumber,
} from "../../../server/rules/certificate-number";
import { sampleCertificate } from "../../../server/documents/samples";

/** Issue 14 item 9: "0003/GCN-TTCT" beside "004/2026/GCN-TTCT" — one format, as policy. */
describe("certificate number rule (server/rules/certificate-number.ts)", () => {
  it("makes the documented format and recognises only it", () => {
    expect(CERTIFICATE_NUMBER_RULE).toEqual({ template: "{serial}/GCN-{centre}", serialDigits: 4 });
    expect(formatCertificateNumber(3, "TTCT", 2026)).toBe("0003/GCN-TTCT");
    expect(formatCertificateNumber(12345, "TTCT")).toBe("12345/GCN-TTCT");
    expect(isCertificateNumber("0003/GCN-TTCT")).toBe(true);
    expect(isCertificateNumber("004/2026/GCN-TTCT")).toBe(false);
    expect(isCertificateNumber("004/GCN-TTCT")).toBe(false);
    expect(isCertificateNumber("0003/GCN-TTCT ")).toBe(false);
  });

  it("is data: another rule changes the format and its pattern together", () => {
    const rule = { template: "{serial}/{year}/GCN-{centre}", serialDigits: 3 };
    expect(formatCertificateNumber(4, "TTCT", 2026, rule)).toBe("004/2026/GCN-TTCT");
    expect(certificateNumberPattern(rule).test("004/2026/GCN-TTCT")).toBe(true);
    expect(certificateNumberPattern(rule).test("0004/GCN-TTCT")).toBe(false);
  });

  it("the sample certificates follow the rule", () => {
    for (let i = 0; i < 5; i++) expect(isCertificateNumber(sampleCertificate(i).registerNumber)).toBe(true);
  });

  it("no code outside the rule spells a certificate number itself", () => {
    const root = new URL("../../../", import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(name)) files.push(p);
      }
    };
    walk(join(root, "server"));
    walk(join(root, "app"));
    const strays = files
      .filter((f) => !f.endsWith(join("rules", "certificate-number.ts")))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .filter((line) => /GCN-/.test(line) && !/^\s*(\*|\/\/|\/\*)/.test(line))
          .map((line) => `${f}: ${line.trim()}`),
      );
    expect(strays).toEqual([]);
  });
});
