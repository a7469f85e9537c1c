import { z } from "zod";
import type { PartyStatus } from "../db/schema";
import { EDUCATION_LABELS, PARTY_STATUS_LABELS } from "../organisations/labels";
import { formatVnDate } from "../rules/dates";

/**
 * Programme entry rules (domain brief §3–4) as data, and the checks a nominee goes
 * through before the organisation board decides. Pure: the service supplies the facts.
 * Defaults below are starting points; every number is editable per programme
 * (`eligibility_rule_set`), because several were not confirmed (decision 008).
 */

/** Lower case, no diacritics, single spaces: "Phó Bí thư" finds "phó bí thư", "Pho bi thu". */
function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

export const EDUCATION_ORDER = ["tieu_hoc", "thcs", "thpt", "trung_cap", "cao_dang", "dai_hoc", "sau_dai_hoc"] as const;
export type EducationLevel = (typeof EDUCATION_ORDER)[number];

export const ruleSetSchema = z.object({
  /** Lowest education level accepted; null: no requirement. */
  minEducation: z.enum(EDUCATION_ORDER).nullable(),
  /** The board may accept a lower level with a recorded reason (ethnic-minority, border, island learners). */
  educationOverridable: z.boolean(),
  /** Born on or before this date (ISO); the annual cut-off of HD 61 plans. Null: no cut-off. */
  latestBirthDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "ngày phải có dạng YYYY-MM-DD")
    .nullable(),
  /** Accepted party statuses; empty: any. */
  partyStatuses: z.array(z.enum(["quan_chung", "du_bi", "chinh_thuc"])),
  /** The position must contain one of these words (HD 59: secretaries and committee members); empty: any. */
  positionKeywords: z.array(z.string().trim().min(1)),
});
export type RuleSet = z.infer<typeof ruleSetSchema>;

/** Defaults from the domain brief; HD 61's cut-off is "18 by mid-year" of the plan year (unconfirmed). */
export function defaultRuleSet(programmeCode: string, year: number): RuleSet {
  switch (programmeCode) {
    case "hd61":
      return {
        minEducation: "thcs",
        educationOverridable: true,
        latestBirthDate: `${year - 18}-06-30`,
        partyStatuses: ["quan_chung"],
        positionKeywords: [],
      };
    case "hd60":
      return { minEducation: null, educationOverridable: true, latestBirthDate: null, partyStatuses: ["du_bi"], positionKeywords: [] };
    case "hd59":
      return {
        minEducation: null,
        educationOverridable: true,
        latestBirthDate: null,
        partyStatuses: ["du_bi", "chinh_thuc"],
        positionKeywords: ["bí thư", "phó bí thư", "cấp ủy viên", "chi ủy viên", "đảng ủy viên", "ủy viên ban chấp hành"],
      };
    default:
      return { minEducation: null, educationOverridable: true, latestBirthDate: null, partyStatuses: [], positionKeywords: [] };
  }
}

export interface PersonFacts {
  id: number | null;
  fullName: string;
  birthDate: string | null;
  educationLevel: string | null;
  partyStatus: PartyStatus;
  position: string | null;
}

/** Another nomination or enrolment for the same programme (this nomination excluded). */
export interface OtherEntry {
  kind: "nomination" | "enrolment";
  personId: number;
  fullName: string;
  birthDate: string | null;
  /** The sending unit (nomination) or the class name (enrolment). */
  where: string;
  status: string;
}

export type CheckKey = "education" | "birth_date" | "party_status" | "position" | "certified" | "duplicate";
export type CheckStatus = "pass" | "fail" | "needs_override";

export interface Check {
  key: CheckKey;
  label: string;
  status: CheckStatus;
  message: string;
}

export const CHECK_LABELS: Record<CheckKey, string> = {
  education: "Trình độ học vấn",
  birth_date: "Ngày sinh (độ tuổi)",
  party_status: "Tình trạng đảng viên",
  position: "Chức vụ",
  certified: "Chưa được cấp giấy chứng nhận",
  duplicate: "Không trùng người",
};

/** Keys the board may override with a reason (the rest are hard rules). */
export const OVERRIDABLE: readonly CheckKey[] = ["education", "birth_date", "position", "duplicate"];

/** Same person: name compared without case, spacing or diacritics (a typist may drop them), and the same birth date. */
export function personKey(fullName: string, birthDate: string | null): string {
  return `${fold(fullName)}|${birthDate ?? ""}`;
}

export function checkEligibility(
  rules: RuleSet,
  person: PersonFacts,
  ctx: { certifiedProgrammes: string[]; programmeCode: string; programmeName: string; others: OtherEntry[] },
): Check[] {
  const checks: Check[] = [];
  const add = (key: CheckKey, status: CheckStatus, message: string) => checks.push({ key, label: CHECK_LABELS[key], status, message });

  if (rules.minEducation) {
    const need = EDUCATION_LABELS[rules.minEducation];
    const rank = EDUCATION_ORDER.indexOf(person.educationLevel as EducationLevel);
    const soft = rules.educationOverridable ? "needs_override" : "fail";
    if (!person.educationLevel || rank < 0) add("education", soft, `Chưa có thông tin trình độ học vấn; yêu cầu tối thiểu ${need}.`);
    else if (rank < EDUCATION_ORDER.indexOf(rules.minEducation))
      add(
        "education",
        soft,
        `${EDUCATION_LABELS[person.educationLevel]} — thấp hơn yêu cầu tối thiểu ${need}${rules.educationOverridable ? "; có thể xét ngoại lệ (vùng đồng bào dân tộc thiểu số, biên giới, hải đảo) và phải ghi lý do" : ""}.`,
      );
    else add("education", "pass", `${EDUCATION_LABELS[person.educationLevel]} (yêu cầu tối thiểu ${need}).`);
  }

  if (rules.latestBirthDate) {
    const cutoff = formatVnDate(rules.latestBirthDate);
    if (!person.birthDate) add("birth_date", "needs_override", `Chưa có ngày sinh; yêu cầu sinh trước hoặc trong ngày ${cutoff}.`);
    else if (person.birthDate > rules.latestBirthDate)
      add("birth_date", "fail", `Sinh ngày ${formatVnDate(person.birthDate)}, sau ngày ${cutoff}: chưa đủ tuổi theo kế hoạch.`);
    else add("birth_date", "pass", `Sinh ngày ${formatVnDate(person.birthDate)} (yêu cầu sinh trước hoặc trong ngày ${cutoff}).`);
  }

  if (rules.partyStatuses.length) {
    const have = PARTY_STATUS_LABELS[person.partyStatus];
    const want = rules.partyStatuses.map((s) => PARTY_STATUS_LABELS[s].toLowerCase()).join(" hoặc ");
    if (rules.partyStatuses.includes(person.partyStatus)) add("party_status", "pass", `${have}.`);
    else add("party_status", "fail", `${have}; chương trình dành cho ${want}.`);
  }

  if (rules.positionKeywords.length) {
    const pos = person.position ? fold(person.position) : "";
    const hit = rules.positionKeywords.find((k) => pos && ` ${pos} `.includes(` ${fold(k)} `));
    if (!person.position)
      add("position", "needs_override", `Chưa ghi chức vụ; chương trình dành cho ${rules.positionKeywords.slice(0, 3).join(", ")}….`);
    else if (hit) add("position", "pass", `${person.position}.`);
    else add("position", "needs_override", `“${person.position}” không phải bí thư, phó bí thư hay cấp ủy viên; cần xác nhận.`);
  }

  if (ctx.certifiedProgrammes.includes(ctx.programmeCode)) add("certified", "fail", `Đã được cấp giấy chứng nhận ${ctx.programmeName}.`);
  else add("certified", "pass", "Chưa có giấy chứng nhận của chương trình này.");

  const hard: string[] = [];
  const soft: string[] = [];
  const key = personKey(person.fullName, person.birthDate);
  for (const o of ctx.others) {
    const what =
      o.kind === "enrolment"
        ? `đã có tên trong ${o.where}`
        : `đã được ${o.where} đề cử (${o.status === "approved" ? "đã duyệt" : "đang chờ duyệt"})`;
    if (person.id !== null && o.personId === person.id) hard.push(what);
    else if (person.birthDate && personKey(o.fullName, o.birthDate) === key)
      soft.push(`${o.fullName}, sinh ngày ${formatVnDate(o.birthDate)}, ${what}`);
  }
  if (hard.length) add("duplicate", "fail", `Người này ${hard.join("; ")}.`);
  else if (soft.length) add("duplicate", "needs_override", `Có thể trùng người: ${soft.join("; ")}. Cần xác nhận là hai người khác nhau.`);
  else add("duplicate", "pass", "Không trùng với đề cử hay học viên nào khác của chương trình.");

  return checks;
}

export type Verdict = "eligible" | "needs_override" | "ineligible";

/** Eligible when every check passes or was overridden; a failed hard rule cannot be overridden. */
export function verdict(checks: Check[], overridden: readonly string[] = []): Verdict {
  if (checks.some((c) => c.status === "fail")) return "ineligible";
  if (checks.some((c) => c.status === "needs_override" && !overridden.includes(c.key))) return "needs_override";
  return "eligible";
}

export const VERDICT_LABELS: Record<Verdict, string> = {
  eligible: "Đủ điều kiện",
  needs_override: "Cần xét ngoại lệ",
  ineligible: "Không đủ điều kiện",
};
