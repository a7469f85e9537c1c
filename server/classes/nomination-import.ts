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
export type { RowIssue, UnitRef };

/**
 * The nominee list a cell sends (danh sách đề cử; docs/class-plan.md): the template and
 * its row rules. Pure: the caller gives the units the sender may nominate from. A row
 * names the person as the cell's own Excel file does; the service then matches an
 * existing person or creates one in the sending unit. The person columns and their cell
 * rules are shared with the trainee list (server/imports/people.ts).
 */
export const NOMINEE_COLUMNS = [
  { ...PERSON_COLUMN.fullName, note: "Bắt buộc. Ghi đủ họ, chữ đệm và tên." },
  { ...PERSON_COLUMN.birthDate, note: "Bắt buộc. Ngày/tháng/năm, ví dụ 05/03/2006." },
  { ...PERSON_COLUMN.gender, note: "Nam hoặc Nữ." },
  { ...PERSON_COLUMN.ethnicity, note: "Ví dụ: Kinh, Tày, Mông." },
  { ...PERSON_COLUMN.education, note: "9/12, 12/12, THCS, THPT, Trung cấp, Cao đẳng, Đại học, Sau đại học." },
  { ...PERSON_COLUMN.partyStatus, note: "Quần chúng (mặc định), Đảng viên dự bị, Đảng viên chính thức." },
  { ...PERSON_COLUMN.admissionDate, note: "Bắt buộc với đảng viên; để trống với quần chúng." },
  // "Chức vụ" alone is accepted for "Chức vụ, nghề nghiệp" (cells' own files).
  {
    key: "position",
    header: "Chức vụ, nghề nghiệp",
    required: false,
    aliases: ["Chức vụ", "Nghề nghiệp"],
    note: "Ví dụ: Giáo viên, Học sinh lớp 12A1, Bí thư chi bộ.",
  },
  { ...PERSON_COLUMN.phone, note: "Để liên lạc khi triệu tập." },
  { key: "unit", header: "Đơn vị", required: false, note: "Chi bộ, đảng bộ cơ sở cử đi học; để trống là đơn vị chọn khi tải tệp." },
  { key: "note", header: "Ghi chú", required: false, note: "Ví dụ: lý do xét ngoại lệ trình độ (người dân tộc thiểu số, vùng biên giới)." },
] as const;

export interface NomineeRow {
  row: number;
  fullName: string;
  birthDate: string;
  gender: "nam" | "nu" | null;
  ethnicity: string | null;
  education: string | null;
  partyStatus: PartyStatus;
  admissionDate: string | null;
  position: string | null;
  phone: string | null;
  unitId: number;
  unitName: string;
  note: string | null;
}

export function validateNomineeTable(
  table: Table,
  ctx: { units: UnitRef[]; defaultUnit: UnitRef | null; today: string },
): { rows: NomineeRow[]; issues: RowIssue[] } {
  const { index, issues } = locateColumns(table.header, NOMINEE_COLUMNS);
  if (issues.length) return { rows: [], issues };
  if (!index.has("unit") && !ctx.defaultUnit)
    issues.push({ row: 1, column: "Đơn vị", message: "Tệp không có cột “Đơn vị”: hãy chọn đơn vị cử đi học khi tải tệp lên." });
  if (issues.length) return { rows: [], issues };

  const unitOf = unitLookup(ctx.units, (u) => [u.name, u.shortName]);
  const rows: NomineeRow[] = [];
  const duplicate = duplicatePeople();
  for (const line of table.rows) {
    const { row } = line;
    const { get, bad } = rowReader(NOMINEE_COLUMNS, index, issues, line);
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

    const party = partyStatusCell(get("partyStatus"));
    if (party.message) bad("partyStatus", party.message);

    const admission = admissionDateCell(get("admissionDate"), party.value);
    for (const m of admission.messages) bad("admissionDate", m);

    const phone = phoneCell(get("phone"));
    if (phone.message) bad("phone", phone.message);

    const unitRaw = get("unit");
    const unit = unitRaw ? unitOf(unitRaw) : ctx.defaultUnit;
    if (!unit)
      bad(
        "unit",
        unitRaw
          ? `Không tìm thấy đơn vị “${unitRaw}” trong phạm vi của bạn; ghi đúng tên đơn vị hoặc để trống.`
          : "Chưa ghi đơn vị cử đi học.",
      );

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
        partyStatus: party.value!,
        admissionDate: admission.value,
        position: get("position") || null,
        phone: phone.value,
        unitId: unit!.id,
        unitName: unit!.name,
        note: get("note") || null,
      });
    }
  }
  if (table.rows.length === 0) issues.push({ row: 2, column: "", message: "Tệp chỉ có dòng tiêu đề, chưa có người nào được đề cử." });
  return { rows, issues };
}

/** The template the cells download: header row, two example rows, a notes sheet. */
export async function nomineeTemplateXlsx(): Promise<Uint8Array> {
  return templateWorkbook({
    sheet: "Danh sách đề cử",
    columns: NOMINEE_COLUMNS,
    examples: [
      ["Nguyễn Văn An", "05/03/2006", "Nam", "Kinh", "12/12", "Quần chúng", "", "Học sinh lớp 12A1", "0912345678", "", ""],
      [
        "Lò Thị Hoa",
        "20/11/1999",
        "Nữ",
        "Thái",
        "Tiểu học",
        "Quần chúng",
        "",
        "Nông dân",
        "",
        "",
        "Người dân tộc thiểu số, đề nghị xét ngoại lệ trình độ",
      ],
    ],
    dateColumns: ["birthDate", "admissionDate"],
    notes: [
      "Mỗi dòng một người được đề cử. Xóa hai dòng ví dụ trước khi gửi.",
      ...NOMINEE_COLUMNS.map((c) => `${c.header}: ${c.note}`),
      "Người đã có trong hệ thống (cùng họ tên và ngày sinh, trong đơn vị của bạn) được nhận ra, không tạo trùng.",
    ],
  });
}
