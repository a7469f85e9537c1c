import { describe, expect, it } from "vitest";
import { documentNumberLabel, selectTerm } from "../../../server/classes/numbering";

describe("document number label", () => {
  it("puts a leading zero below 10 and none from 10", () => {
    expect(documentNumberLabel(1, "QĐ", "TTCT")).toBe("01-QĐ/TTCT");
    expect(documentNumberLabel(5, "TB", "TTCT")).toBe("05-TB/TTCT");
    expect(documentNumberLabel(9, "GTT", "TTCT")).toBe("09-GTT/TTCT");
    expect(documentNumberLabel(10, "GTT", "TTCT")).toBe("10-GTT/TTCT");
    expect(documentNumberLabel(123, "BC", "ĐU")).toBe("123-BC/ĐU");
  });

  it("refuses a number that is not a positive integer", () => {
    expect(() => documentNumberLabel(0, "TB", "TTCT")).toThrow();
    expect(() => documentNumberLabel(1.5, "TB", "TTCT")).toThrow();
  });
});

describe("committee term selection", () => {
  it("takes the unit's own term", () => {
    expect(
      selectTerm([
        { term_label: "2025-2030", term_start: "2025-07-01" },
        { term_label: "2020-2025", term_start: null },
      ]),
    ).toEqual({ key: "2025-2030", label: "2025-2030" });
  });

  it("falls back to the nearest ancestor with a term", () => {
    expect(
      selectTerm([
        { term_label: null, term_start: null },
        { term_label: "  ", term_start: null },
        { term_label: "2025-2030", term_start: "2025-10-01" },
      ]),
    ).toEqual({ key: "2025-2030", label: "2025-2030" });
  });

  it("uses the start date when a term has no label, and an empty key when no unit has a term", () => {
    expect(selectTerm([{ term_label: null, term_start: "2025-07-01" }])).toEqual({ key: "từ 2025-07-01", label: "từ 2025-07-01" });
    expect(selectTerm([{ term_label: null, term_start: null }])).toEqual({ key: "", label: "" });
  });

  it("gives a new key, so a new counter from 01, when the term changes", () => {
    const before = selectTerm([{ term_label: "2025-2030", term_start: "2025-07-01" }]);
    const after = selectTerm([{ term_label: "2030-2035", term_start: "2030-07-01" }]);
    expect(after.key).not.toBe(before.key);
  });
});
