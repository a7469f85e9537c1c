import { describe, expect, it } from "vitest";
import { alertsFor, answeredAfter, applyPatch, filterAndSort, type RosterRow } from "../../../server/proctoring/roster";
import { incidentReportDocument, partyBodyOf } from "../../../server/proctoring/incident-report";
import { compareVietnameseNames } from "../../../server/rules/vietnamese-names";

function row(p: Partial<RosterRow> & { personId: number; name: string }): RosterRow {
  return {
    unit: "Chi bộ A",
    attemptId: p.personId * 10,
    status: "in_progress",
    connected: true,
    current: null,
    answered: [],
    total: 10,
    deadline: null,
    submittedAt: null,
    score: null,
    takeoverPending: false,
    integrityCount: 0,
    lastIntegrity: null,
    lastActivity: "2026-03-13T01:00:00.000Z",
    rev: 1,
    ...p,
  };
}

describe("roster updates", () => {
  it("keeps the newest revision: repeated or late updates never move a row backwards", () => {
    const rows = [row({ personId: 1, name: "Nguyễn Thị Mai" })];
    const newer = applyPatch(rows, { personId: 1, rev: 5, status: "paused" });
    expect(newer[0]!.status).toBe("paused");
    expect(applyPatch(newer, { personId: 1, rev: 3, status: "in_progress" })).toBe(newer);
    expect(applyPatch(newer, { personId: 1, rev: 5, status: "locked" })).toBe(newer);
    expect(applyPatch(newer, { personId: 9, rev: 9, status: "locked" })).toBe(newer);
  });

  it("treats answers as set operations, so order and repeats do not matter", () => {
    expect(answeredAfter([3, 1], 2, true)).toEqual([1, 2, 3]);
    expect(answeredAfter([1, 2, 3], 2, true)).toEqual([1, 2, 3]);
    expect(answeredAfter([1, 2, 3], 2, false)).toEqual([1, 3]);
  });
});

describe("alerts, filters and sorting", () => {
  const now = new Date("2026-03-13T01:10:00.000Z");
  const rows = [
    row({ personId: 1, name: "Trần Văn Bình", connected: false }),
    row({ personId: 2, name: "Lê Thị An", lastActivity: "2026-03-13T01:00:00.000Z" }),
    row({
      personId: 3,
      name: "Phạm Minh Anh",
      lastActivity: "2026-03-13T01:09:00.000Z",
      integrityCount: 2,
      lastIntegrity: { kind: "page_hidden", at: "2026-03-13T01:09:00.000Z" },
    }),
    row({ personId: 4, name: "Đỗ Văn Cường", status: "submitted", connected: false }),
    row({ personId: 5, name: "Võ Thị Ánh", status: "absent", connected: false, attemptId: null }),
    row({ personId: 6, name: "Hà Văn Dũng", takeoverPending: true, lastActivity: "2026-03-13T01:09:30.000Z" }),
  ];
  const alerts = alertsFor(rows, now, 180);

  it("flags the disconnected, the idle, integrity events and takeover requests — not those who finished or never came", () => {
    expect(alerts.map((a) => [a.personId, a.kind])).toEqual([
      [1, "disconnected"],
      [2, "idle"],
      [3, "integrity"],
      [6, "takeover"],
    ]);
    expect(alerts.find((a) => a.personId === 3)!.text).toBe("Phạm Minh Anh: Rời khỏi trang thi (2 lần)");
  });

  it("filters and sorts names the Vietnamese way (given name first)", () => {
    const byName = filterAndSort(rows, "all", "name", alerts, compareVietnameseNames).map((r) => r.name);
    expect(byName).toEqual(["Lê Thị An", "Phạm Minh Anh", "Võ Thị Ánh", "Trần Văn Bình", "Đỗ Văn Cường", "Hà Văn Dũng"]);
    expect(filterAndSort(rows, "alerts", "integrity", alerts, compareVietnameseNames).map((r) => r.personId)).toEqual([3, 2, 1, 6]);
    expect(filterAndSort(rows, "absent", "name", alerts, compareVietnameseNames).map((r) => r.personId)).toEqual([5]);
    expect(filterAndSort(rows, "submitted", "name", alerts, compareVietnameseNames).map((r) => r.personId)).toEqual([4]);
  });
});

describe("incident report", () => {
  it("names the party organisation from the committee's name", () => {
    expect(partyBodyOf("Đảng ủy xã Tân Lập")).toBe("Đảng bộ xã Tân Lập");
    expect(partyBodyOf("Tỉnh ủy An Khánh")).toBe("Đảng bộ tỉnh An Khánh");
  });

  it("lists who sat and who was absent, and every event with its reason", () => {
    const doc = incidentReportDocument({
      session: {
        id: 7,
        title: "Kiểm tra cuối khóa",
        class_name: "Lớp HD 61 khóa 1",
        centre_name: "Trung tâm Chính trị xã Tân Lập",
        centre_abbr: "TTCT",
        unit_name: "Đảng ủy xã Tân Lập",
        place_name: "Tân Lập",
        director_name: "Lê Văn Hùng",
        opens_at: new Date("2026-03-13T01:00:00Z"),
        duration_minutes: 45,
        started_by_proctor_at: new Date("2026-03-13T01:02:00Z"),
        session_ended_at: null,
      },
      parentName: "Đảng ủy xã Tân Lập",
      rows: [
        row({ personId: 1, name: "Trần Văn Bình", status: "submitted", answered: [1, 2] }),
        row({ personId: 5, name: "Võ Thị Ánh", status: "absent", attemptId: null }),
      ],
      events: [
        {
          id: "1",
          at: "2026-03-13T01:20:00Z",
          attemptId: 10,
          personId: 1,
          name: "Trần Văn Bình",
          source: "proctor",
          kind: "add_time",
          reason: "Mất điện",
          actor: "Giám thị Hạnh",
        },
      ],
      proctors: ["Giám thị Hạnh"],
      signer: "Giám thị Hạnh",
      now: new Date("2026-03-13T02:00:00Z"),
      seq: 3,
    });
    expect(doc.header).toEqual({ parentBody: "ĐẢNG BỘ XÃ TÂN LẬP", issuer: "TRUNG TÂM CHÍNH TRỊ XÃ TÂN LẬP" });
    expect(doc.number).toEqual({ seq: 3, typeAbbr: "BB", issuerAbbr: "TTCT" });
    expect(doc.date).toBe("2026-03-13");
    const text = JSON.stringify(doc.body);
    expect(text).toContain("dự thi: 1; vắng: 1");
    expect(text).toContain("bắt đầu lúc 08:02:00");
    expect(text).toContain("Giám thị Hạnh: Mất điện");
    expect(text).toContain("Cộng thêm giờ");
  });
});
