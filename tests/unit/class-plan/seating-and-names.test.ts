import { describe, expect, it } from "vitest";
import { rowLetter, seatingPlan } from "../../../server/classes/seating";
import { fileSlug, openingDecision } from "../../../server/classes/plan-documents";
import { sortByVietnameseName } from "../../../server/rules/vietnamese-names";

const names = ["Nguyễn Thị Mai", "Trần Văn An", "Lê Thị Ánh", "Phạm Văn Bình", "Đỗ Thu Hà", "Hoàng Văn Toàn", "Vàng A Páo"];

describe("Vietnamese name order in class lists", () => {
  it("sorts by given name, then family and middle names, with Vietnamese letters in place", () => {
    expect(sortByVietnameseName(names, (n) => n)).toEqual([
      "Trần Văn An",
      "Lê Thị Ánh",
      "Phạm Văn Bình",
      "Đỗ Thu Hà",
      "Nguyễn Thị Mai",
      "Vàng A Páo",
      "Hoàng Văn Toàn",
    ]);
    expect(sortByVietnameseName(["Đặng Văn Đông", "Nguyễn Văn Dũng", "Lê Văn Đạt"], (n) => n)).toEqual([
      "Nguyễn Văn Dũng",
      "Lê Văn Đạt",
      "Đặng Văn Đông",
    ]);
  });

  it("the decision to open a class lists trainees in that order, numbered from 1", () => {
    const doc = openingDecision(
      {
        parentBody: "Đảng ủy xã Tân Lập",
        name: "Trung tâm Chính trị xã Tân Lập",
        abbreviation: "TTCT",
        place: "Tân Lập",
        directorName: "Lê Văn Hùng",
      },
      3,
      "2026-03-02",
      {
        name: "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026",
        programmeName: "Bồi dưỡng nhận thức về Đảng",
        cohortLabel: "Khóa 1 năm 2026",
        venue: "Hội trường Đảng ủy xã",
        startsOn: "2026-03-09",
        endsOn: "2026-03-13",
      },
      names.map((n) => ({ fullName: n, birthDate: "2000-01-02", unitName: "CB", partyStatusLabel: "" })),
    );
    const table = doc.body.find((b) => b.kind === "table");
    expect(table && table.kind === "table" ? table.rows.map((r) => [r[0], r[1]]) : []).toEqual(
      ["Trần Văn An", "Lê Thị Ánh", "Phạm Văn Bình", "Đỗ Thu Hà", "Nguyễn Thị Mai", "Vàng A Páo", "Hoàng Văn Toàn"].map((n, i) => [
        String(i + 1),
        n,
      ]),
    );
    expect(doc.number).toEqual({ seq: 3, typeAbbr: "QĐ", issuerAbbr: "TTCT" });
    expect(doc.summary).toBe("Về việc mở lớp bồi dưỡng nhận thức về Đảng, Khóa 1 năm 2026");
    expect(doc.header).toEqual({ parentBody: "ĐẢNG ỦY XÃ TÂN LẬP", issuer: "TRUNG TÂM CHÍNH TRỊ XÃ TÂN LẬP" });
  });

  it("makes ASCII file names", () => {
    expect(fileSlug("Giấy triệu tập — Nguyễn Thị Đào")).toBe("giay-trieu-tap-nguyen-thi-dao");
  });
});

describe("seating plan", () => {
  it("fills rows from the front in name order and leaves the last seats empty", () => {
    const plan = seatingPlan(names, (n) => n, { perRow: 3 });
    expect(plan.map((r) => r.map((s) => s.trainee))).toEqual([
      ["Trần Văn An", "Lê Thị Ánh", "Phạm Văn Bình"],
      ["Đỗ Thu Hà", "Nguyễn Thị Mai", "Vàng A Páo"],
      ["Hoàng Văn Toàn", null, null],
    ]);
    expect(plan[2]!.map((s) => s.label)).toEqual(["C1", "C2", "C3"]);
  });

  it("clamps the seats per row and labels rows past Z", () => {
    expect(seatingPlan(names, (n) => n, { perRow: 0 })).toHaveLength(7);
    expect(seatingPlan([], (n: string) => n, { perRow: 4 })).toHaveLength(1);
    expect([rowLetter(0), rowLetter(25), rowLetter(26), rowLetter(27)]).toEqual(["A", "Z", "AA", "AB"]);
  });
});
