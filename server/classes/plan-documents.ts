import type { PartyDocument } from "../documents/model";
import { formatShortDate } from "../documents/model";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import { birthDateCell } from "../rules/birth-date";

/**
 * The papers of opening a class, built as data (pure): the decision to open the class
 * with its list of trainees, and one call-up letter per trainee. Rendering is
 * server/documents (decision, .docx) and callup-pdf.ts (letters with the QR code).
 * Every name, abbreviation and signer comes from the organisation.
 */

export interface Issuer {
  /** The committee the centre belongs to, e.g. "Đảng ủy xã Tân Lập". */
  parentBody: string;
  /** The centre, e.g. "Trung tâm Chính trị xã Tân Lập". */
  name: string;
  abbreviation: string;
  place: string;
  directorName: string | null;
}

export interface ClassFacts {
  name: string;
  programmeName: string;
  cohortLabel: string | null;
  venue: string | null;
  startsOn: string | null;
  endsOn: string | null;
}

export interface TraineeFacts {
  fullName: string;
  birthDate: string | null;
  unitName: string;
  partyStatusLabel: string;
}

export const DOC_TYPES = {
  decision: { abbr: "QĐ", name: "QUYẾT ĐỊNH" },
  callUp: { abbr: "GTT", name: "GIẤY TRIỆU TẬP" },
} as const;

function header(issuer: Issuer) {
  return { parentBody: issuer.parentBody.toLocaleUpperCase("vi"), issuer: issuer.name.toLocaleUpperCase("vi") };
}

function signature(issuer: Issuer) {
  return { title: "GIÁM ĐỐC", name: issuer.directorName?.trim() || "………………………" };
}

function dates(c: ClassFacts): string {
  if (c.startsOn && c.endsOn) return `từ ngày ${formatShortDate(c.startsOn)} đến ngày ${formatShortDate(c.endsOn)}`;
  if (c.startsOn) return `từ ngày ${formatShortDate(c.startsOn)}`;
  return "theo thông báo của Trung tâm";
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLocaleLowerCase("vi") + s.slice(1);
}

/** The decision to open a class (quyết định mở lớp), its list of trainees sorted the Vietnamese way. */
export function openingDecision(issuer: Issuer, no: number, date: string, c: ClassFacts, trainees: TraineeFacts[]): PartyDocument {
  const sorted = sortByVietnameseName(trainees, (t) => t.fullName);
  const cohort = c.cohortLabel ? `, ${c.cohortLabel}` : "";
  return {
    header: header(issuer),
    number: { seq: no, typeAbbr: DOC_TYPES.decision.abbr, issuerAbbr: issuer.abbreviation },
    place: issuer.place,
    date,
    typeName: DOC_TYPES.decision.name,
    summary: `Về việc mở lớp ${lowerFirst(c.programmeName)}${cohort}`,
    body: [
      { kind: "paragraph", text: `GIÁM ĐỐC ${issuer.name.toLocaleUpperCase("vi")}` },
      { kind: "paragraph", text: "Căn cứ chức năng, nhiệm vụ của Trung tâm và kế hoạch bồi dưỡng năm của Trung tâm;" },
      { kind: "paragraph", text: "Căn cứ danh sách học viên do các chi bộ, đảng bộ cơ sở đề cử đã được Ban Tổ chức thẩm định," },
      { kind: "heading", text: "QUYẾT ĐỊNH" },
      {
        kind: "paragraph",
        text: `Điều 1. Mở ${lowerFirst(c.name)} (${c.programmeName}), thời gian ${dates(c)}, tại ${c.venue || "Trung tâm"}.`,
      },
      { kind: "paragraph", text: `Điều 2. Triệu tập ${sorted.length} học viên có tên trong danh sách kèm theo tham gia lớp học.` },
      {
        kind: "paragraph",
        text: "Điều 3. Các chi bộ, đảng bộ cơ sở có học viên, bộ phận giúp việc của Trung tâm và các học viên có tên tại Điều 2 chịu trách nhiệm thi hành Quyết định này.",
      },
      { kind: "heading", text: "DANH SÁCH HỌC VIÊN" },
      {
        kind: "table",
        columns: [
          { header: "TT", width: 6, align: "center" },
          { header: "Họ và tên", width: 26 },
          { header: "Ngày sinh", width: 14, align: "center" },
          { header: "Đơn vị", width: 30 },
          { header: "Ghi chú", width: 14 },
        ],
        // A bad or blank birth date is flagged in its cell, never a failed document (issue 14).
        rows: sorted.map((t, i) => [String(i + 1), t.fullName, birthDateCell(t.birthDate, date).text, t.unitName, t.partyStatusLabel]),
      },
    ],
    signature: signature(issuer),
    recipients: [
      "Thường trực cấp ủy (để báo cáo),",
      "Ban Tổ chức,",
      "Các chi bộ, đảng bộ cơ sở có học viên,",
      "Như Điều 3,",
      `Lưu ${issuer.name}.`,
    ],
  };
}

/** One call-up letter (giấy triệu tập); the account box is drawn by callup-pdf.ts, and written out in the .docx. */
export function callUpLetter(
  issuer: Issuer,
  no: number,
  date: string,
  c: ClassFacts,
  t: TraineeFacts,
  account: { username: string; password: string | null; loginUrl: string },
  opts: { accountInBody: boolean },
): PartyDocument {
  const body: PartyDocument["body"] = [
    { kind: "paragraph", text: `${issuer.name} trân trọng triệu tập:` },
    { kind: "paragraph", text: `Đồng chí: ${t.fullName}` },
    { kind: "paragraph", text: `Ngày sinh: ${birthDateCell(t.birthDate, date).text}` },
    { kind: "paragraph", text: `Đơn vị: ${t.unitName}` },
    {
      kind: "paragraph",
      text: `Đến dự: ${c.name}${c.name.toLocaleLowerCase("vi").includes(c.programmeName.toLocaleLowerCase("vi")) ? "" : ` (${c.programmeName})`}`,
    },
    { kind: "paragraph", text: `Thời gian: ${dates(c)}; khai giảng lúc 07 giờ 30 ngày đầu tiên.` },
    { kind: "paragraph", text: `Địa điểm: ${c.venue || issuer.name}` },
    {
      kind: "paragraph",
      text: "Khi đến lớp, học viên mang theo giấy triệu tập này, giấy tờ tùy thân và điện thoại có kết nối Internet để học tập, kiểm tra trực tuyến.",
    },
  ];
  if (opts.accountInBody) {
    body.push({ kind: "paragraph", text: `Tên đăng nhập: ${account.username}` });
    body.push({ kind: "paragraph", text: `Mật khẩu ban đầu: ${account.password ?? "học viên đã tự đặt mật khẩu"}` });
    body.push({ kind: "paragraph", text: `Đăng nhập tại: ${account.loginUrl}` });
  }
  return {
    header: header(issuer),
    number: { seq: no, typeAbbr: DOC_TYPES.callUp.abbr, issuerAbbr: issuer.abbreviation },
    place: issuer.place,
    date,
    typeName: DOC_TYPES.callUp.name,
    summary: `Học viên dự lớp ${lowerFirst(c.programmeName)}`,
    body,
    signature: signature(issuer),
    recipients: ["Như trên,", `Chi bộ, đảng bộ cơ sở: ${t.unitName},`, `Lưu ${issuer.name}.`],
  };
}

/** A file name without diacritics or spaces: "giay-trieu-tap-nguyen-thi-mai". */
export function fileSlug(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
