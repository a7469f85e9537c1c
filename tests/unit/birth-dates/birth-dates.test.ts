import { describe, expect, it } from "vitest";
import JSZip from "jszip";
import { demoBirthDate, DEMO_BIRTH_YEARS } from "../../../server/seed/birth-dates";
import { birthDateCell, birthDateProblem, birthDateSchema, birthDatesToFix } from "../../../server/rules/birth-date";
import { validateTraineeTable } from "../../../server/accounts/trainee-import";
import { validateNomineeTable } from "../../../server/classes/nomination-import";
import { callUpLetter, openingDecision, type TraineeFacts } from "../../../server/classes/plan-documents";
import { renderCallUpLettersPdf } from "../../../server/classes/callup-pdf";
import { classReport, DEFAULT_TEMPLATES, resultsNotice, type ResultLine } from "../../../server/classes/official-documents";
import { renderPartyDocumentPdf } from "../../../server/documents/pdf";
import { renderPartyDocumentDocx } from "../../../server/documents/docx";
import { renderCertificatesPdf } from "../../../server/documents/certificate";
import { sampleCertificate } from "../../../server/documents/samples";

// Issue 14, item 2: impossible birth dates from the demo generator made the call-up
// letters, the class decision and the notices answer 500.

/** The demo's generator (same LCG as server/seed/demo-surveys.ts). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function docxText(bytes: Uint8Array): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file("word/document.xml")!.async("string");
  return xml.replace(/<\/w:p>/g, "\n").replace(/<[^>]+>/g, "");
}
const isPdf = (b: Uint8Array) => Buffer.from(b.slice(0, 5)).toString("latin1") === "%PDF-";

describe("demo birth dates", () => {
  it("are real dates from 1980 to 2004 over many seeds and draws", () => {
    const years = new Set<number>();
    const bad: string[] = [];
    for (let seed = 0; seed < 300; seed++) {
      const rand = rng(seed);
      for (let i = 0; i < 200; i++) {
        const d = demoBirthDate(rand);
        const y = Number(d.slice(0, 4));
        if (birthDateProblem(d, "2026-12-07") || y < DEMO_BIRTH_YEARS.from || y > DEMO_BIRTH_YEARS.to) bad.push(`seed ${seed}: ${d}`);
        years.add(y);
      }
    }
    expect(bad).toEqual([]);
    // The whole range is used (the old generator's 2000–2004 came out as "19100"–"19104").
    expect(years.size).toBe(DEMO_BIRTH_YEARS.to - DEMO_BIRTH_YEARS.from + 1);
  });

  it("draw three numbers each, as before, so the rest of the demo data stays the same", () => {
    let n = 0;
    demoBirthDate(() => (n++, 0.5));
    expect(n).toBe(3);
  });
});

describe("birth date rule", () => {
  const today = "2026-03-05";
  it("names what is wrong with a stored date", () => {
    expect(birthDateProblem("19100-05-18", today)).toBe("ngày sinh “19100-05-18” không phải ngày hợp lệ");
    expect(birthDateProblem(null, today)).toBe("chưa có ngày sinh");
    expect(birthDateProblem("1899-12-31", today)).toBe("ngày sinh 31/12/1899 trước năm 1900");
    expect(birthDateProblem("2026-03-06", today)).toBe("ngày sinh 06/03/2026 sau ngày hôm nay");
    expect(birthDateProblem("1900-01-01", today)).toBeNull();
    expect(birthDateProblem(today, today)).toBeNull();
  });

  it("parses typed dates with zod and says what to fix", () => {
    const s = birthDateSchema(today);
    expect(s.parse("05/03/2006")).toBe("2006-03-05");
    expect(s.parse("2006-03-05")).toBe("2006-03-05");
    expect(s.safeParse("18/05/19100").error?.issues[0]?.message).toBe(
      "“18/05/19100” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2006.",
    );
    expect(s.safeParse("31/12/1899").error?.issues[0]?.message).toBe(
      "Ngày sinh 31/12/1899 không hợp lý: phải từ 01/01/1900 đến hôm nay (05/03/2026).",
    );
    expect(s.safeParse("").error?.issues[0]?.message).toBe("Chưa có ngày sinh.");
  });

  it("flags a bad or blank date in a document cell instead of throwing", () => {
    expect(birthDateCell("2006-03-05", today)).toEqual({ text: "05/03/2006", problem: null });
    expect(birthDateCell("19102-04-16", today).text).toBe("[Ngày sinh “19102-04-16” không phải ngày hợp lệ — cần sửa]");
    expect(birthDateCell(null, today).text).toBe("[Chưa có ngày sinh — cần bổ sung]");
    expect(
      birthDatesToFix(
        [
          { fullName: "A B", birthDate: "2000-01-01" },
          { fullName: "C D", birthDate: "" },
        ],
        today,
      ),
    ).toEqual([{ fullName: "C D", birthDate: "", problem: "chưa có ngày sinh" }]);
  });
});

describe("imports refuse impossible birth dates, naming row and column", () => {
  const units = [{ id: 1, name: "Chi bộ Trường THPT Tân Lập", abbreviation: "CB", shortName: "CB THPT Tân Lập" }];
  it("in the trainee accounts list", () => {
    const header = ["Họ và tên", "Ngày sinh", "Đơn vị", "Tình trạng đảng viên"];
    const r = validateTraineeTable(
      {
        header,
        rows: [
          { row: 2, cells: ["Nguyễn Văn An", "18/05/19100", "CB THPT Tân Lập", "Quần chúng"] },
          { row: 3, cells: ["Trần Thị Bình", "16/04/1899", "CB THPT Tân Lập", "Quần chúng"] },
          { row: 4, cells: ["Lê Văn Cường", "06/03/2026", "CB THPT Tân Lập", "Quần chúng"] },
          { row: 5, cells: ["Phạm Thị Dung", "05/03/2006", "CB THPT Tân Lập", "Quần chúng"] },
        ],
      },
      { units, takenUsernames: new Set(), today: "2026-03-05" },
    );
    expect(r.rows.map((x) => x.row)).toEqual([5]);
    expect(r.issues).toEqual([
      {
        row: 2,
        column: "Ngày sinh",
        message: "Dòng 2, cột “Ngày sinh”: “18/05/19100” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2006.",
      },
      {
        row: 3,
        column: "Ngày sinh",
        message: "Dòng 3, cột “Ngày sinh”: Ngày sinh 16/04/1899 không hợp lý: phải từ 01/01/1900 đến hôm nay (05/03/2026).",
      },
      {
        row: 4,
        column: "Ngày sinh",
        message: "Dòng 4, cột “Ngày sinh”: Ngày sinh 06/03/2026 không hợp lý: phải từ 01/01/1900 đến hôm nay (05/03/2026).",
      },
    ]);
  });

  it("in the nominations list", () => {
    const header = ["Họ và tên", "Ngày sinh", "Đơn vị"];
    const r = validateNomineeTable(
      { header, rows: [{ row: 7, cells: ["Nguyễn Văn An", "19102-04-16", "Chi bộ Trường THPT Tân Lập"] }] },
      { units, defaultUnit: units[0]!, today: "2026-03-05" },
    );
    expect(r.rows).toEqual([]);
    expect(r.issues).toEqual([
      {
        row: 7,
        column: "Ngày sinh",
        message: "Dòng 7, cột “Ngày sinh”: “19102-04-16” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2006.",
      },
    ]);
  });
});

describe("documents with one bad and one blank birth date still render and name them", () => {
  const issuer = {
    parentBody: "Đảng ủy xã Tân Lập",
    name: "Trung tâm Chính trị xã Tân Lập",
    abbreviation: "TTCT",
    place: "Tân Lập",
    directorName: "Nguyễn Văn Giám",
    committeeName: "Đảng ủy xã Tân Lập",
  };
  const klass = {
    name: "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026",
    programmeName: "Bồi dưỡng nhận thức về Đảng",
    cohortLabel: null,
    venue: "Hội trường",
    startsOn: "2026-05-11",
    endsOn: "2026-05-15",
  };
  const trainees: TraineeFacts[] = [
    { fullName: "Nguyễn Văn An", birthDate: "2000-05-18", unitName: "Chi bộ thôn Đông Hòa", partyStatusLabel: "Quần chúng" },
    { fullName: "Trần Thị Bình", birthDate: "19100-05-18", unitName: "Chi bộ thôn Đông Hòa", partyStatusLabel: "Quần chúng" },
    { fullName: "Lê Văn Cường", birthDate: null, unitName: "Chi bộ thôn Đông Hòa", partyStatusLabel: "Quần chúng" },
  ];

  it("the class decision, in PDF and Word", async () => {
    const doc = openingDecision(issuer, 3, "2026-05-04", klass, trainees);
    expect(isPdf(await renderPartyDocumentPdf(doc))).toBe(true);
    const text = await docxText(await renderPartyDocumentDocx(doc));
    expect(text).toContain("18/05/2000");
    expect(text).toContain("[Ngày sinh “19100-05-18” không phải ngày hợp lệ — cần sửa]");
    expect(text).toContain("[Chưa có ngày sinh — cần bổ sung]");
  });

  it("the call-up letters, in PDF and Word", async () => {
    const account = { username: "an.nguyen", password: "Abc-12345", loginUrl: "http://localhost/dang-nhap?u=an.nguyen" };
    const letters = trainees.map((t) => ({
      doc: callUpLetter(issuer, 4, "2026-05-04", klass, t, account, { accountInBody: false }),
      account,
    }));
    expect(isPdf(await renderCallUpLettersPdf(letters))).toBe(true);
    const word = await docxText(
      await renderPartyDocumentDocx(callUpLetter(issuer, 4, "2026-05-04", klass, trainees[1]!, account, { accountInBody: true })),
    );
    expect(word).toContain("Ngày sinh: [Ngày sinh “19100-05-18” không phải ngày hợp lệ — cần sửa]");
    const blank = await docxText(
      await renderPartyDocumentDocx(callUpLetter(issuer, 4, "2026-05-04", klass, trainees[2]!, account, { accountInBody: true })),
    );
    expect(blank).toContain("Ngày sinh: [Chưa có ngày sinh — cần bổ sung]");
  });

  it("the results notice and the class report", async () => {
    const lines: ResultLine[] = trainees.map((t, i) => ({
      fullName: t.fullName,
      birthDate: t.birthDate,
      unitName: t.unitName,
      score: 8 + i * 0.5,
      bandLabel: "Khá",
      outcome: "passed",
      failReason: null,
      certificateNumber: null,
      absentPeriods: 0,
    }));
    const notice = resultsNotice(issuer, { seq: 5, date: "2026-05-20" }, klass, "Chi bộ thôn Đông Hòa", lines, DEFAULT_TEMPLATES);
    expect(isPdf(await renderPartyDocumentPdf(notice))).toBe(true);
    const text = await docxText(await renderPartyDocumentDocx(notice));
    expect(text).toContain("[Chưa có ngày sinh — cần bổ sung]");
    expect(text).toContain("[Ngày sinh “19100-05-18” không phải ngày hợp lệ — cần sửa]");
    const report = classReport(
      issuer,
      { seq: 6, date: "2026-05-20" },
      klass,
      lines,
      ["Giỏi", "Khá"],
      { sessions: 10, presentShare: 0.9 },
      DEFAULT_TEMPLATES,
    );
    expect(isPdf(await renderPartyDocumentPdf(report))).toBe(true);
  });

  it("a batch of certificates with a blank birth date", async () => {
    const certs = [
      sampleCertificate(0),
      { ...sampleCertificate(1), birthDate: null },
      { ...sampleCertificate(2), birthDate: "19102-04-16" },
    ];
    expect(isPdf(await renderCertificatesPdf(certs))).toBe(true);
  });
});
