/**
 * The one format of a certificate's register number (sổ cấp, Hướng dẫn 154-HD/BTGTW:
 * "numbered in a register"). The guideline fixes no layout, so the layout is policy,
 * kept here as data (docs/class-records.md, "Certificate number"): change the template
 * or the width here and every issue, reissue, document, page and the demo follow.
 * Everything that makes or checks a number goes through this module; nothing else
 * spells "GCN" (a unit test looks for strays).
 */
export interface CertificateNumberRule {
  /** `{serial}`: the serial, zero-padded to `serialDigits`; `{centre}`: the centre's abbreviation; `{year}`: the register's year. */
  template: string;
  /** Minimum digits of the serial (leading zeros); a longer serial is printed whole. */
  serialDigits: number;
}

/** The documented format: "0001/GCN-TTCT" — serial per centre per year, four digits, centre abbreviation. */
export const CERTIFICATE_NUMBER_RULE: CertificateNumberRule = { template: "{serial}/GCN-{centre}", serialDigits: 4 };

export function formatCertificateNumber(
  serial: number,
  centreAbbr: string,
  year?: number,
  rule: CertificateNumberRule = CERTIFICATE_NUMBER_RULE,
): string {
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`serial must be a positive integer, got ${serial}`);
  return rule.template
    .replace("{serial}", String(serial).padStart(rule.serialDigits, "0"))
    .replace("{centre}", centreAbbr.trim())
    .replace("{year}", year === undefined ? "" : String(year));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A regular expression that matches exactly the numbers the rule makes (any centre abbreviation, any year). */
export function certificateNumberPattern(rule: CertificateNumberRule = CERTIFICATE_NUMBER_RULE): RegExp {
  const body = rule.template
    .split(/(\{serial\}|\{centre\}|\{year\})/)
    .map((part) =>
      part === "{serial}"
        ? `\\d{${rule.serialDigits},}`
        : part === "{centre}"
          ? "[\\p{Lu}\\p{N}]+"
          : part === "{year}"
            ? "\\d{4}"
            : escape(part),
    )
    .join("");
  return new RegExp(`^${body}$`, "u");
}

export function isCertificateNumber(label: string, rule: CertificateNumberRule = CERTIFICATE_NUMBER_RULE): boolean {
  return certificateNumberPattern(rule).test(label);
}
