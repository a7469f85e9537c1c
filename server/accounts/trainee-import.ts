import type { PartyStatus } from "../db/schema";
import { parseBirthDateCell } from "../rules/birth-date";
import {
  PERSON_COLUMN,
  admissionDateCell,
  duplicatePeople,
  educationCell,
  fullNameCell,
  genderCell,
  locateColumns,
  partyStatusCell,
  phoneCell,
  rowReader,
  templateWorkbook,
  unitLookup,
  type RowIssue,
  type Table,
  type UnitRef,
} from "../imports/people";
export { EDUCATION_LABELS, PARTY_STATUS_LABELS } from "../organisations/labels";
export type { RowIssue, UnitRef };

/**
 * The trainee list template (docs/imports.md) and its row rules. Pure: the caller
 * supplies the units in scope and the usernames already taken. The person columns and
 * their cell rules are shared with the nominee list (server/imports/people.ts).
 */
export const TRAINEE_COLUMNS = [
  PERSON_COLUMN.fullName,
  PERSON_COLUMN.birthDate,
  PERSON_COLUMN.gender,
  PERSON_COLUMN.ethnicity,
  PERSON_COLUMN.education,
  { key: "unit", header: "Đơn vị", required: true },
  PERSON_COLUMN.partyStatus,
  PERSON_COLUMN.admissionDate,
  PERSON_COLUMN.position,
  PERSON_COLUMN.phone,
  { key: "username", header: "Tên đăng nhập", required: false },
] as const;

export interface TraineeRow {
  row: number;
  fullName: string;
  birthDate: string;
  gender: "nam" | "nu" | null;
  ethnicity: string | null;
  education: string | null;
  unitId: number;
  unitName: string;
  partyStatus: PartyStatus;
  admissionDate: string | null;
  position: string | null;
  phone: string | null;
  username: string | null;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;

/** The usernames an uploaded list asks for (lower-cased), to check against the accounts before validating. */
export function requestedUsernames(table: Table): string[] {
  const at = locateColumns(table.header, TRAINEE_COLUMNS).index.get("username");
  return at === undefined ? [] : table.rows.map((r) => (r.cells[at] ?? "").trim().toLowerCase()).filter(Boolean);
}

export function validateTraineeTable(
  table: Table,
  ctx: { units: UnitRef[]; takenUsernames: Set<string>; today: string },
): { rows: TraineeRow[]; issues: RowIssue[] } {
  const { index, issues } = locateColumns(table.header, TRAINEE_COLUMNS);
  if (issues.length) return { rows: [], issues };

  const unitOf = unitLookup(ctx.units, (u) => [u.name, u.abbreviation, u.shortName]);
  const rows: TraineeRow[] = [];
  const duplicate = duplicatePeople();
  const seenUsernames = new Map<string, number>();
  for (const line of table.rows) {
    const { row } = line;
    const { get, bad } = rowReader(TRAINEE_COLUMNS, index, issues, line);
    const before = issues.length;

    const name = fullNameCell(get("fullName"));
    const fullName = name.value;
    if (name.message) bad("fullName", name.message);

    // One rule (and one zod schema) for every path a birth date comes in by: server/rules/birth-date.ts.
    const birth = parseBirthDateCell(get("birthDate"), { row, column: "Ngày sinh", today: ctx.today });
    const birthDate = birth.value;
    if (birth.message) bad("birthDate", birth.message);

    const gender = genderCell(get("gender"));
    if (gender.message) bad("gender", gender.message);

    const education = educationCell(get("education"));
    if (education.message) bad("education", education.message);

    const unitRaw = get("unit");
    const unit = unitRaw ? unitOf(unitRaw) : undefined;
    if (!unitRaw) bad("unit", "Chưa ghi đơn vị (chi bộ, đảng bộ cơ sở) cử đi học.");
    else if (!unit) bad("unit", `Không tìm thấy đơn vị “${unitRaw}” trong phạm vi của bạn; ghi đúng tên hoặc tên viết tắt của đơn vị.`);

    const party = partyStatusCell(get("partyStatus"));
    if (party.message) bad("partyStatus", party.message);

    const admission = admissionDateCell(get("admissionDate"), party.value);
    for (const m of admission.messages) bad("admissionDate", m);

    const phone = phoneCell(get("phone"));
    if (phone.message) bad("phone", phone.message);

    const username = get("username").toLowerCase() || null;
    if (username) {
      if (!USERNAME.test(username))
        bad("username", `“${username}”: tên đăng nhập gồm 3–32 chữ cái không dấu, chữ số, dấu chấm, gạch ngang.`);
      else if (ctx.takenUsernames.has(username)) bad("username", `Tên đăng nhập “${username}” đã có người dùng.`);
      else if (seenUsernames.has(username)) bad("username", `Tên đăng nhập “${username}” trùng với dòng ${seenUsernames.get(username)}.`);
      else seenUsernames.set(username, row);
    }

    const twice = duplicate(row, fullName, birthDate);
    if (twice) bad("fullName", twice);

    if (issues.length === before) {
      rows.push({
        row,
        fullName,
        birthDate: birthDate!,
        gender: gender.value,
        ethnicity: get("ethnicity") || null,
        education: education.value,
        unitId: unit!.id,
        unitName: unit!.name,
        partyStatus: party.value!,
        admissionDate: admission.value,
        position: get("position") || null,
        phone: phone.value,
        username,
      });
    }
  }
  if (table.rows.length === 0) issues.push({ row: 2, column: "", message: "Tệp chỉ có dòng tiêu đề, chưa có học viên nào." });
  return { rows, issues };
}

/** The template users download: header row, one example row, column notes. */
export async function traineeTemplateXlsx(): Promise<Uint8Array> {
  return templateWorkbook({
    sheet: "Danh sách học viên",
    columns: TRAINEE_COLUMNS,
    examples: [
      ["Nguyễn Văn An", "05/03/2006", "Nam", "Kinh", "12/12", "Chi bộ Trường THPT Tân Lập", "Quần chúng", "", "Học sinh", "0912345678", ""],
    ],
    dateColumns: ["birthDate", "admissionDate"],
    notes: [
      "Mỗi dòng một học viên. Các cột bắt buộc: Họ và tên, Ngày sinh, Đơn vị.",
      "Ngày sinh, Ngày vào Đảng: ghi ngày/tháng/năm, ví dụ 05/03/2006.",
      "Giới tính: Nam hoặc Nữ. Trình độ học vấn: 9/12, 12/12, THCS, THPT, Trung cấp, Cao đẳng, Đại học, Sau đại học.",
      "Đơn vị: tên đầy đủ hoặc tên viết tắt của chi bộ, đảng bộ cơ sở cử đi học.",
      "Tình trạng đảng viên: Quần chúng (mặc định), Đảng viên dự bị, Đảng viên chính thức.",
      "Tên đăng nhập: để trống thì hệ thống tự cấp (hv + năm + số thứ tự).",
    ],
  });
}
