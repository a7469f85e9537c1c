import { describe, expect, it } from "vitest";
import { checkEligibility, defaultRuleSet, personKey, ruleSetSchema, verdict, type PersonFacts } from "../../../server/classes/eligibility";

const mai: PersonFacts = {
  id: 1,
  fullName: "Nguyễn Thị Mai",
  birthDate: "2006-04-12",
  educationLevel: "thpt",
  partyStatus: "quan_chung",
  position: "Học sinh",
};
const ctx = { certifiedProgrammes: [] as string[], programmeCode: "hd61", programmeName: "HD 61", others: [] };
const byKey = (checks: ReturnType<typeof checkEligibility>) => Object.fromEntries(checks.map((c) => [c.key, c.status]));

describe("eligibility rules (HD 61)", () => {
  const rules = defaultRuleSet("hd61", 2026);

  it("defaults: at least THCS, born by 30/06 eighteen years before the plan year, non-members", () => {
    expect(rules).toMatchObject({ minEducation: "thcs", latestBirthDate: "2008-06-30", partyStatuses: ["quan_chung"] });
    expect(ruleSetSchema.parse(rules)).toEqual(rules);
  });

  it("passes an eligible nominee with Vietnamese explanations", () => {
    const checks = checkEligibility(rules, mai, ctx);
    expect(byKey(checks)).toEqual({ education: "pass", birth_date: "pass", party_status: "pass", certified: "pass", duplicate: "pass" });
    expect(checks.find((c) => c.key === "birth_date")!.message).toBe(
      "Sinh ngày 12/04/2006 (yêu cầu sinh trước hoặc trong ngày 30/06/2008).",
    );
    expect(verdict(checks)).toBe("eligible");
  });

  it("primary education needs an override with a reason; the override makes the nominee eligible", () => {
    const checks = checkEligibility(rules, { ...mai, educationLevel: "tieu_hoc" }, ctx);
    const edu = checks.find((c) => c.key === "education")!;
    expect(edu.status).toBe("needs_override");
    expect(edu.message).toContain("Tiểu học — thấp hơn yêu cầu tối thiểu Trung học cơ sở");
    expect(verdict(checks)).toBe("needs_override");
    expect(verdict(checks, ["education"])).toBe("eligible");
    // Without the override allowed, it is a plain failure.
    expect(
      checkEligibility({ ...rules, educationOverridable: false }, { ...mai, educationLevel: "tieu_hoc" }, ctx).find(
        (c) => c.key === "education",
      )!.status,
    ).toBe("fail");
  });

  it("the birth-date cut-off is inclusive and a day later fails", () => {
    expect(byKey(checkEligibility(rules, { ...mai, birthDate: "2008-06-30" }, ctx)).birth_date).toBe("pass");
    const late = checkEligibility(rules, { ...mai, birthDate: "2008-07-01" }, ctx);
    expect(byKey(late).birth_date).toBe("fail");
    expect(late.find((c) => c.key === "birth_date")!.message).toBe(
      "Sinh ngày 01/07/2008, sau ngày 30/06/2008: chưa đủ tuổi theo kế hoạch.",
    );
    expect(verdict(late, ["birth_date"])).toBe("ineligible"); // a failure is not overridable
  });

  it("a party member, or someone already certified, is not eligible", () => {
    expect(byKey(checkEligibility(rules, { ...mai, partyStatus: "du_bi" }, ctx)).party_status).toBe("fail");
    const certified = checkEligibility(rules, mai, { ...ctx, certifiedProgrammes: ["hd61"] });
    expect(certified.find((c) => c.key === "certified")).toMatchObject({ status: "fail", message: "Đã được cấp giấy chứng nhận HD 61." });
  });

  it("finds duplicates: the same person elsewhere fails; the same name and birth date with another record needs a confirmation", () => {
    const same = checkEligibility(rules, mai, {
      ...ctx,
      others: [
        {
          kind: "nomination",
          personId: 1,
          fullName: "Nguyễn Thị Mai",
          birthDate: "2006-04-12",
          where: "Chi bộ thôn Đông Hòa",
          status: "pending",
        },
      ],
    });
    expect(same.find((c) => c.key === "duplicate")).toMatchObject({
      status: "fail",
      message: "Người này đã được Chi bộ thôn Đông Hòa đề cử (đang chờ duyệt).",
    });
    const lookalike = checkEligibility(rules, mai, {
      ...ctx,
      others: [
        { kind: "enrolment", personId: 9, fullName: "NGUYỄN  THỊ MAI", birthDate: "2006-04-12", where: "lớp Khóa 1", status: "open" },
      ],
    });
    expect(lookalike.find((c) => c.key === "duplicate")!.status).toBe("needs_override");
    expect(lookalike.find((c) => c.key === "duplicate")!.message).toContain("đã có tên trong lớp Khóa 1");
    const namesake = checkEligibility(rules, mai, {
      ...ctx,
      others: [{ kind: "nomination", personId: 9, fullName: "Nguyễn Thị Mai", birthDate: "2001-01-01", where: "CB", status: "pending" }],
    });
    expect(byKey(namesake).duplicate).toBe("pass");
  });

  it("normalises names for the duplicate key (case, spaces, diacritics, NFD input)", () => {
    expect(personKey("Nguyễn Thị Mai", "2006-04-12")).toBe(personKey(" nguyen  thi MAI ", "2006-04-12"));
    expect(personKey("Nguyễn Thị Mai".normalize("NFD"), "2006-04-12")).toBe(personKey("Nguyễn Thị Mai", "2006-04-12"));
    expect(personKey("Nguyễn Thị Mai", "2006-04-12")).not.toBe(personKey("Nguyễn Thị Mai", "2006-04-13"));
  });
});

describe("eligibility rules (HD 60, HD 59)", () => {
  it("HD 60 is for probationary members only", () => {
    const rules = defaultRuleSet("hd60", 2026);
    const toan: PersonFacts = {
      id: 2,
      fullName: "Hoàng Văn Toàn",
      birthDate: "1990-01-20",
      educationLevel: null,
      partyStatus: "du_bi",
      position: null,
    };
    expect(byKey(checkEligibility(rules, toan, { ...ctx, programmeCode: "hd60" }))).toEqual({
      party_status: "pass",
      certified: "pass",
      duplicate: "pass",
    });
    const full = checkEligibility(rules, { ...toan, partyStatus: "chinh_thuc" }, { ...ctx, programmeCode: "hd60" });
    expect(full.find((c) => c.key === "party_status")!.message).toBe("Đảng viên chính thức; chương trình dành cho đảng viên dự bị.");
  });

  it("HD 59 is for secretaries and committee members, matched without diacritics", () => {
    const rules = defaultRuleSet("hd59", 2026);
    const base: PersonFacts = {
      id: 3,
      fullName: "Trần Văn Bình",
      birthDate: "1975-09-02",
      educationLevel: "dai_hoc",
      partyStatus: "chinh_thuc",
      position: "Bí thư chi bộ",
    };
    const c = { ...ctx, programmeCode: "hd59" };
    expect(byKey(checkEligibility(rules, base, c)).position).toBe("pass");
    expect(byKey(checkEligibility(rules, { ...base, position: "Pho Bi thu chi bo" }, c)).position).toBe("pass");
    expect(byKey(checkEligibility(rules, { ...base, position: "Chi ủy viên, trưởng thôn" }, c)).position).toBe("pass");
    expect(byKey(checkEligibility(rules, { ...base, position: "Giáo viên" }, c)).position).toBe("needs_override");
    expect(byKey(checkEligibility(rules, { ...base, partyStatus: "quan_chung" }, c)).party_status).toBe("fail");
  });

  it("rejects a malformed rule set with a Vietnamese message", () => {
    const r = ruleSetSchema.safeParse({ ...defaultRuleSet("hd61", 2026), latestBirthDate: "30/06/2008" });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toContain("ngày phải có dạng YYYY-MM-DD");
  });
});
