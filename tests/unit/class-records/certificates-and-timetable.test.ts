import { describe, expect, it } from "vitest";
import {
  formatCertificateNumber,
  isVerificationCode,
  newVerificationCode,
  registerYear,
} from "../../../server/classes/certificate-numbering";
import { checkTimetable, defaultTimetable, type ProgrammeOutline } from "../../../server/classes/timetable";
import { fillTemplate, templateProblems } from "../../../server/classes/official-documents";

describe("certificate numbering", () => {
  it("prints four digits and the centre's abbreviation", () => {
    expect(formatCertificateNumber(1, "TTCT")).toBe("0001/GCN-TTCT");
    expect(formatCertificateNumber(123, "TTCT")).toBe("0123/GCN-TTCT");
    expect(formatCertificateNumber(12345, "TTCT")).toBe("12345/GCN-TTCT");
    expect(() => formatCertificateNumber(0, "TTCT")).toThrow();
    expect(registerYear("2026-03-10")).toBe(2026);
  });

  it("verification codes are 16 unambiguous characters and never repeat", () => {
    const codes = new Set(Array.from({ length: 2000 }, newVerificationCode));
    expect(codes.size).toBe(2000);
    for (const c of codes) expect(isVerificationCode(c)).toBe(true);
    expect(isVerificationCode("0123456789ABCDEF")).toBe(false); // 0 and 1 are not in the alphabet
    expect(isVerificationCode("ABC")).toBe(false);
  });
});

const hd61: ProgrammeOutline = {
  totalPeriods: 50,
  periodsPerSession: 5,
  lessons: [
    { position: 1, title: "Khái quát lịch sử Đảng Cộng sản Việt Nam", periods: 5 },
    { position: 2, title: "Cương lĩnh", periods: 10 },
    { position: 3, title: "Điều lệ Đảng", periods: 5 },
    { position: 4, title: "Tư tưởng Hồ Chí Minh", periods: 5 },
    { position: 5, title: "Phấn đấu trở thành đảng viên", periods: 5 },
  ],
  activities: [
    { code: "thao-luan", title: "Trao đổi, thảo luận", periods: 5 },
    { code: "thuc-te", title: "Tham quan thực tế", periods: 5 },
    { code: "he-thong-hoa", title: "Hệ thống hóa", periods: 5 },
    { code: "thu-hoach", title: "Viết bài thu hoạch, tổng kết", periods: 5 },
  ],
};

describe("timetable period arithmetic", () => {
  it("the default timetable is 10 buổi over 5 weekdays and adds up", () => {
    const rows = defaultTimetable(hd61, "2026-03-09");
    expect(rows).toHaveLength(10);
    expect(rows[0]).toMatchObject({ onDate: "2026-03-09", part: "sang", topic: "bai:1" });
    expect(rows[2]).toMatchObject({ onDate: "2026-03-10", part: "sang", topic: "bai:2" });
    expect(rows[9]).toMatchObject({ onDate: "2026-03-13", part: "chieu", topic: "hd:thu-hoach" });
    expect(checkTimetable(rows, hd61)).toEqual({ errors: [], deviations: [], totalPeriods: 50, sessions: 10 });
  });

  it("a compressed schedule is a deviation that names what differs", () => {
    const rows = defaultTimetable(hd61, "2026-03-09").filter((r) => r.topic !== "hd:thuc-te");
    rows[1] = { ...rows[1]!, periods: 4 };
    const c = checkTimetable(rows, hd61);
    expect(c.errors).toEqual([]);
    expect(c.deviations).toEqual([
      "Buổi 2 có 4 tiết (một buổi theo chương trình là 5 tiết).",
      "Bài 2. Cương lĩnh: xếp 9 tiết, chương trình quy định 10 tiết.",
      "Chưa xếp lịch: Tham quan thực tế (5 tiết).",
      "Tổng cộng 44 tiết, chương trình quy định 50 tiết.",
    ]);
  });

  it("malformed rows are errors with their number", () => {
    const rows = defaultTimetable(hd61, "2026-03-09");
    rows[3] = { ...rows[3]!, onDate: rows[2]!.onDate, part: rows[2]!.part };
    rows[4] = { ...rows[4]!, topic: "bai:9", periods: 0 };
    expect(checkTimetable(rows, hd61).errors).toEqual([
      "Buổi 4: trùng ngày và buổi với buổi 3.",
      "Buổi 5: nội dung không thuộc chương trình.",
      "Buổi 5: số tiết phải là số nguyên từ 1 đến 10.",
    ]);
  });
});

describe("document templates", () => {
  it("fills known fields and names unknown ones", () => {
    expect(fillTemplate("{lop} — {don_vi} — {x}", { lop: "lớp A", don_vi: "Chi bộ B" })).toBe("lớp A — Chi bộ B — {x}");
    expect(templateProblems("Kính gửi {don_vi} {donvi}")).toEqual([
      'Trường "{donvi}" không có; dùng: {lop}, {chuong_trinh}, {tu_ngay}, {den_ngay}, {don_vi}, {so_hoc_vien}.',
    ]);
  });
});
