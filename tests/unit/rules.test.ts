import { describe, expect, it } from "vitest";
import { compareVietnameseNames, normaliseName, sortByVietnameseName } from "../../server/rules/vietnamese-names";
import { formatVnDate, parseVnDate, vnDay, vnLongDate } from "../../server/rules/dates";

describe("Vietnamese name order", () => {
  it("sorts by given name, then family and middle names, with Vietnamese letters in place", () => {
    const names = [
      "Nguyễn Thị Mai",
      "Trần Văn An",
      "Lê Đức Anh",
      "Phạm Văn Ánh",
      "Đỗ Thị Bình",
      "Bùi Văn Đông",
      "Hà Thị Dung",
      "Nguyễn Văn An",
    ];
    expect(sortByVietnameseName(names, (n) => n)).toEqual([
      "Nguyễn Văn An",
      "Trần Văn An",
      "Lê Đức Anh",
      "Phạm Văn Ánh",
      "Đỗ Thị Bình",
      "Hà Thị Dung",
      "Bùi Văn Đông",
      "Nguyễn Thị Mai",
    ]);
  });

  it("treats NFD and NFC spellings as the same name", () => {
    expect(compareVietnameseNames("Nguyễn Văn Đức".normalize("NFD"), "Nguyễn Văn Đức")).toBe(0);
    expect(normaliseName("  Nguyễn   Văn\tĐức ".normalize("NFD"))).toBe("Nguyễn Văn Đức");
  });
});

describe("dates", () => {
  it("reads the ways people write dates and refuses impossible ones", () => {
    expect(parseVnDate("05/03/2006")).toBe("2006-03-05");
    expect(parseVnDate("5/3/2006")).toBe("2006-03-05");
    expect(parseVnDate("05-03-2006")).toBe("2006-03-05");
    expect(parseVnDate("2006-03-05")).toBe("2006-03-05");
    expect(parseVnDate("29/02/2024")).toBe("2024-02-29");
    expect(parseVnDate("29/02/2025")).toBeNull();
    expect(parseVnDate("31/04/2025")).toBeNull();
    expect(parseVnDate("03/2006")).toBeNull();
  });

  it("formats for people and for Party documents, in Vietnam's time zone", () => {
    expect(formatVnDate("2026-03-05")).toBe("05/03/2026");
    expect(vnLongDate("2026-03-05")).toBe("ngày 05 tháng 03 năm 2026");
    // 20:00 UTC on 4 March is already 5 March in Hà Nội.
    expect(vnDay(new Date("2026-03-04T20:00:00Z"))).toBe("2026-03-05");
  });
});
