import { describe, expect, it } from "vitest";
import { actuals, addMonths, alertsFor, pathOf, quarterOf, type PipelinePerson } from "../../../server/pipeline/rules";

const person = (o: Partial<PipelinePerson>): PipelinePerson => ({
  personId: 1,
  name: "Nguyễn Văn A",
  group: "Giáo viên",
  nominatedOn: null,
  sentHd61On: null,
  hd61On: null,
  filesDoneOn: null,
  admittedOn: null,
  hd60On: null,
  fullOn: null,
  ...o,
});

describe("pipeline rules", () => {
  it("adds months without overflowing short months", () => {
    expect(addMonths("2025-10-15", 12)).toBe("2026-10-15");
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonths("2025-01-31", 1)).toBe("2025-02-28");
    expect(quarterOf("2026-03-31")).toBe(1);
    expect(quarterOf("2026-04-01")).toBe(2);
  });

  it("warns as the 12 months of probation approach without HD 60, by date", () => {
    const p = person({ hd61On: "2025-05-20", admittedOn: "2025-10-15" });
    expect(alertsFor([p], "2026-07-01")).toEqual([]); // 106 days left
    expect(alertsFor([p], "2026-07-17")).toEqual([
      {
        personId: 1,
        name: "Nguyễn Văn A",
        level: "warning",
        message: "Còn 90 ngày đến hạn 12 tháng dự bị (15/10/2026), chưa có giấy chứng nhận HD 60.",
      },
    ]);
    expect(alertsFor([p], "2026-09-15")[0]).toMatchObject({
      level: "urgent",
      message: "Còn 30 ngày đến hạn 12 tháng dự bị (15/10/2026), chưa có giấy chứng nhận HD 60.",
    });
    expect(alertsFor([p], "2026-10-16")[0]).toMatchObject({
      level: "urgent",
      message: "Đã quá hạn 12 tháng dự bị (15/10/2026) mà chưa có giấy chứng nhận HD 60.",
    });
    expect(alertsFor([{ ...p, hd60On: "2026-04-01" }], "2026-10-16")).toEqual([]);
    expect(alertsFor([{ ...p, fullOn: "2026-10-15" }], "2026-10-16")).toEqual([]);
  });

  it("flags a missing HD 61 certificate once the file is complete or the person admitted", () => {
    expect(alertsFor([person({ nominatedOn: "2026-01-01", filesDoneOn: "2026-05-01" })], "2026-05-02")[0]!.message).toBe(
      "Hồ sơ kết nạp đã hoàn thiện nhưng còn thiếu giấy chứng nhận HD 61.",
    );
    expect(alertsFor([person({ admittedOn: "2026-05-01", hd60On: "2026-06-01" })], "2026-06-02")[0]!.message).toBe(
      "Đã kết nạp nhưng không có giấy chứng nhận HD 61 trong hồ sơ.",
    );
    expect(alertsFor([person({ nominatedOn: "2026-01-01", filesDoneOn: "2026-05-01", hd61On: "2026-03-01" })], "2026-05-02")).toEqual([]);
  });

  it("flags a candidate left waiting for an HD 61 class, after 180 days only", () => {
    const c = person({ nominatedOn: "2026-01-01" });
    expect(alertsFor([c], "2026-06-30")).toEqual([]); // 180 days
    expect(alertsFor([c], "2026-07-01")[0]).toMatchObject({
      level: "warning",
      message: "Được giới thiệu từ 01/01/2026 nhưng chưa được cử đi học lớp HD 61.",
    });
    expect(alertsFor([{ ...c, sentHd61On: "2026-06-01" }], "2026-07-01")).toEqual([]);
  });

  it("lists urgent alerts first", () => {
    const list = alertsFor(
      [person({ personId: 1, nominatedOn: "2025-01-01" }), person({ personId: 2, admittedOn: "2025-01-01", hd61On: "2024-12-01" })],
      "2026-07-01",
    );
    expect(list.map((a) => [a.personId, a.level])).toEqual([
      [2, "urgent"],
      [1, "warning"],
    ]);
  });

  it("counts what happened per group, measure and quarter of the year", () => {
    const people = [
      person({ group: "Học sinh", nominatedOn: "2026-02-01", sentHd61On: "2026-03-09", filesDoneOn: "2026-09-15" }),
      person({ group: "Học sinh", nominatedOn: "2025-12-01", sentHd61On: "2026-04-09" }),
      person({ group: "Giáo viên", fullOn: "2026-07-01", nominatedOn: "2024-10-01" }),
    ];
    const a = actuals(people, 2026);
    expect(a.get("Học sinh")).toEqual({
      candidates: [1, 0, 0, 0],
      sent_hd61: [1, 1, 0, 0],
      files_done: [0, 0, 1, 0],
      made_full: [0, 0, 0, 0],
    });
    expect(a.get("Giáo viên")).toEqual({
      candidates: [0, 0, 0, 0],
      sent_hd61: [0, 0, 0, 0],
      files_done: [0, 0, 0, 0],
      made_full: [0, 0, 1, 0],
    });
  });

  it("lays out the path in order with dates", () => {
    expect(pathOf(person({ nominatedOn: "2025-01-01", hd61On: "2025-03-01" })).map((s) => [s.key, s.on])).toEqual([
      ["nominated", "2025-01-01"],
      ["hd61", "2025-03-01"],
      ["admitted", null],
      ["hd60", null],
      ["full", null],
    ]);
  });
});
