import ExcelJS from "exceljs";
import { formatVnDate } from "../rules/dates";

interface AttemptCells {
  attemptNo: number | null;
  score: number | null;
  band: string | null;
  passed: boolean | null;
  receipt: string | null;
  awaitingGrading?: boolean;
}

/**
 * Results of one test as .xlsx: one row per trainee with the attempt that counts, every
 * attempt on its own sheet ("Các lần làm bài", the counted one marked), and the item
 * analysis (of the counted attempts).
 */
export async function resultsXlsx(r: {
  exam: { title: string; className: string };
  trainees: (AttemptCells & { name: string; birthDate: string | null; unit: string; attempts: number; others: AttemptCells[] })[];
  items: {
    versionId: number;
    lesson: number | null;
    stem: string;
    facility: number;
    discrimination: number | null;
    n: number;
    unanswered: number;
    optionCounts: number[];
  }[];
}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Kết quả");
  ws.addRow([r.exam.title]).font = { bold: true, size: 13 };
  ws.addRow([r.exam.className]);
  ws.addRow(['Mỗi học viên một dòng, với lần làm bài được tính (điểm cao nhất); các lần khác ở trang "Các lần làm bài".']);
  ws.addRow([
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Đơn vị",
    "Điểm",
    "Xếp loại",
    "Kết quả",
    "Mã biên nhận",
    "Số lần nộp",
    "Lần được tính",
  ]).font = { bold: true };
  // Cell text never starts with = + - @: names and units are data, not formulas.
  const safe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
  const bandText = (t: AttemptCells) => t.band ?? (t.awaitingGrading ? "Chờ chấm tự luận" : "Chưa nộp");
  const result = (t: AttemptCells) => (t.passed === null ? "" : t.passed ? "Đạt" : "Không đạt");
  r.trainees.forEach((t, i) =>
    ws.addRow([
      i + 1,
      safe(t.name),
      formatVnDate(t.birthDate),
      safe(t.unit),
      t.score ?? "",
      bandText(t),
      result(t),
      t.receipt ?? "",
      t.attempts,
      t.score === null ? "" : (t.attemptNo ?? ""),
    ]),
  );
  ws.columns.forEach((c, i) => (c.width = [6, 28, 12, 32, 8, 12, 12, 18, 10, 12][i]));
  const all = wb.addWorksheet("Các lần làm bài");
  all.addRow(["Họ và tên", "Lần", "Điểm", "Xếp loại", "Kết quả", "Mã biên nhận", "Được tính"]).font = { bold: true };
  for (const t of r.trainees) {
    const rows = [
      ...(t.attemptNo === null ? [] : [{ ...t, counted: t.score !== null }]),
      ...t.others.map((o) => ({ ...o, counted: false })),
    ].sort((a, b) => (a.attemptNo ?? 0) - (b.attemptNo ?? 0));
    for (const a of rows)
      all.addRow([safe(t.name), a.attemptNo ?? "", a.score ?? "", bandText(a), result(a), a.receipt ?? "", a.counted ? "Được tính" : ""]);
  }
  all.getColumn(1).width = 28;
  const items = wb.addWorksheet("Phân tích câu hỏi");
  items.addRow(["Bài", "Câu hỏi", "Số lượt", "Độ khó (tỷ lệ đúng)", "Độ phân biệt", "Bỏ trống", "Số lần chọn A", "B", "C", "D", "E"]).font =
    { bold: true };
  for (const it of r.items)
    items.addRow([it.lesson ?? "", safe(it.stem), it.n, it.facility, it.discrimination ?? "", it.unanswered, ...it.optionCounts]);
  items.getColumn(2).width = 70;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
