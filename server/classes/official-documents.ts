import type { PartyDocument } from "../documents/model";
import { formatShortDate } from "../documents/model";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import { birthDateCell } from "../rules/birth-date";
import { formatScore, OUTCOME_LABELS } from "./classification";
import type { ResultOutcome } from "../db/schema-class-records";

/**
 * The results notice (thông báo kết quả học tập, one per sending unit) and the class
 * report (báo cáo, to the standing committee), built as data in the Party layout
 * (domain brief §6) and rendered by server/documents. Pure. The wording of the
 * opening paragraphs is an editable template: `{lop}`, `{chuong_trinh}`, `{tu_ngay}`,
 * `{den_ngay}`, `{don_vi}`, `{so_hoc_vien}` are replaced with the class's facts.
 */

export const DOCUMENT_TYPES = {
  notice: { abbr: "TB", name: "THÔNG BÁO" },
  report: { abbr: "BC", name: "BÁO CÁO" },
} as const;

export {
  DEFAULT_TEMPLATES,
  TEMPLATE_LABELS,
  TEMPLATE_FIELDS,
  templateProblems,
  fillTemplate,
  type TemplateKey,
} from "./official-documents-templates";
import type { TemplateKey } from "./official-documents-templates";
import { fillTemplate } from "./official-documents-templates";
import { formatShare } from "../rules/numbers";

export interface IssuerFacts {
  parentBody: string;
  name: string;
  abbreviation: string;
  place: string;
  directorName: string | null;
  /** The committee the centre belongs to, e.g. "Đảng ủy xã Tân Lập" (addressee of the report). */
  committeeName: string;
}

export interface ClassDocFacts {
  name: string;
  programmeName: string;
  startsOn: string | null;
  endsOn: string | null;
}

export interface ResultLine {
  fullName: string;
  birthDate: string | null;
  unitName: string;
  score: number | null;
  bandLabel: string | null;
  outcome: ResultOutcome;
  failReason: string | null;
  certificateNumber: string | null;
  absentPeriods: number;
}

function header(i: IssuerFacts) {
  return { parentBody: i.parentBody.toLocaleUpperCase("vi"), issuer: i.name.toLocaleUpperCase("vi") };
}
function signature(i: IssuerFacts) {
  return { title: "GIÁM ĐỐC", name: i.directorName?.trim() || "………………………" };
}
function fields(c: ClassDocFacts, unitName: string, count: number) {
  return {
    lop: lowerFirst(c.name),
    chuong_trinh: c.programmeName,
    tu_ngay: c.startsOn ? formatShortDate(c.startsOn) : "…",
    den_ngay: c.endsOn ? formatShortDate(c.endsOn) : "…",
    don_vi: unitName,
    so_hoc_vien: String(count),
  };
}
function lowerFirst(s: string): string {
  return s.charAt(0).toLocaleLowerCase("vi") + s.slice(1);
}

/** `date`: the document's date, the "today" a birth date is checked against. */
function resultTable(lines: ResultLine[], withUnit: boolean, date: string) {
  const sorted = sortByVietnameseName(lines, (l) => l.fullName);
  return {
    kind: "table" as const,
    columns: [
      { header: "TT", width: 6, align: "center" as const },
      { header: "Họ và tên", width: 22 },
      { header: "Ngày sinh", width: 14, align: "center" as const },
      ...(withUnit ? [{ header: "Đơn vị", width: 17 }] : []),
      { header: "Điểm", width: 9, align: "center" as const },
      { header: "Xếp loại", width: 11, align: "center" as const },
      { header: "Kết quả", width: 18 },
    ],
    rows: sorted.map((l, i) => [
      String(i + 1),
      l.fullName,
      // A bad or blank birth date is flagged in its cell, never a failed document (issue 14).
      birthDateCell(l.birthDate, date).text,
      ...(withUnit ? [l.unitName] : []),
      l.score === null ? "" : formatScore(l.score),
      l.bandLabel ?? "",
      l.outcome === "passed"
        ? `Đạt yêu cầu${l.certificateNumber ? `; GCN số ${l.certificateNumber}` : ""}`
        : `${OUTCOME_LABELS[l.outcome]}${l.failReason ? `: ${l.failReason}` : ""}`,
    ]),
  };
}

export interface Counts {
  total: number;
  /** Trainees with a result (everyone but "Chưa có kết quả"): the base of every share. */
  assessed: number;
  passed: number;
  /** Passes in a khá band or above (one classification per trainee). */
  good: number;
  byBand: { label: string; count: number }[];
  resit: number;
  restudy: number;
  withheld: number;
  pending: number;
}

/** Counts of a class's results, following "Figure definitions" in docs/surveys-and-dashboards.md. */
export function countResults(lines: ResultLine[], bandLabels: string[]): Counts {
  const byBand = bandLabels.map((label) => ({ label, count: lines.filter((l) => l.outcome === "passed" && l.bandLabel === label).length }));
  return {
    total: lines.length,
    assessed: lines.filter((l) => l.outcome !== "pending").length,
    passed: lines.filter((l) => l.outcome === "passed").length,
    good: byBand.filter((b) => /giỏi|khá|xuất sắc/i.test(b.label)).reduce((s, b) => s + b.count, 0),
    byBand,
    resit: lines.filter((l) => l.outcome === "resit").length,
    restudy: lines.filter((l) => l.outcome === "restudy").length,
    withheld: lines.filter((l) => l.outcome === "withheld").length,
    pending: lines.filter((l) => l.outcome === "pending").length,
  };
}

const pct = (n: number, of: number) => formatShare(n, of);

export function resultsNotice(
  issuer: IssuerFacts,
  number: { seq: number; date: string },
  c: ClassDocFacts,
  unitName: string,
  lines: ResultLine[],
  templates: Record<TemplateKey, string>,
): PartyDocument {
  const f = fields(c, unitName, lines.length);
  const passed = lines.filter((l) => l.outcome === "passed").length;
  return {
    header: header(issuer),
    number: { seq: number.seq, typeAbbr: DOCUMENT_TYPES.notice.abbr, issuerAbbr: issuer.abbreviation },
    place: issuer.place,
    date: number.date,
    typeName: DOCUMENT_TYPES.notice.name,
    summary: `Kết quả học tập của học viên ${lowerFirst(c.name)}`,
    body: [
      { kind: "paragraph", text: fillTemplate(templates.noticeIntro, f) },
      resultTable(lines, false, number.date),
      { kind: "paragraph", text: `Tổng số: ${lines.length} học viên; đạt yêu cầu: ${passed} học viên.` },
      { kind: "paragraph", text: fillTemplate(templates.noticeClosing, f) },
    ],
    signature: signature(issuer),
    recipients: [`${unitName} (để theo dõi),`, `Ban Tổ chức ${issuer.committeeName} (để biết),`, `Lưu ${issuer.name}.`],
  };
}

export function classReport(
  issuer: IssuerFacts,
  number: { seq: number; date: string },
  c: ClassDocFacts,
  lines: ResultLine[],
  bandLabels: string[],
  attendance: { sessions: number; presentShare: number },
  templates: Record<TemplateKey, string>,
): PartyDocument {
  const f = fields(c, "", lines.length);
  const k = countResults(lines, bandLabels);
  return {
    header: header(issuer),
    number: { seq: number.seq, typeAbbr: DOCUMENT_TYPES.report.abbr, issuerAbbr: issuer.abbreviation },
    place: issuer.place,
    date: number.date,
    typeName: DOCUMENT_TYPES.report.name,
    summary: `Kết quả ${lowerFirst(c.name)}`,
    body: [
      { kind: "paragraph", text: fillTemplate(templates.reportIntro, f) },
      { kind: "heading", text: "1. Tình hình học tập" },
      {
        kind: "paragraph",
        text: `Lớp học ${attendance.sessions} buổi; tỉ lệ chuyên cần (có mặt hoặc đi muộn) đạt ${pct(attendance.presentShare * 1000, 1000)}.`,
      },
      { kind: "heading", text: "2. Kết quả học tập" },
      {
        kind: "list",
        items: [
          // Shares are of the trainees with a result, as on the committee's dashboard (decision 019).
          `Tổng số học viên: ${k.total}; đã có kết quả: ${k.assessed}; đạt yêu cầu: ${k.passed} (${pct(k.passed, k.assessed)} số đã có kết quả);`,
          ...k.byBand.filter((b) => b.count > 0).map((b) => `Xếp loại ${b.label}: ${b.count} (${pct(b.count, k.assessed)});`),
          `Khá, giỏi trở lên: ${k.good} (${pct(k.good, k.assessed)});`,
          `Kiểm tra lại: ${k.resit}; học lại: ${k.restudy}; không cấp chứng nhận: ${k.withheld}; chưa có kết quả: ${k.pending}.`,
        ],
      },
      { kind: "heading", text: "3. Danh sách kết quả" },
      resultTable(lines, true, number.date),
      { kind: "paragraph", text: fillTemplate(templates.reportClosing, f) },
    ],
    signature: signature(issuer),
    recipients: [
      `Thường trực ${issuer.committeeName} (để báo cáo),`,
      `Ban Tổ chức, Ban Tuyên giáo và Dân vận (để biết),`,
      `Lưu ${issuer.name}.`,
    ],
  };
}
