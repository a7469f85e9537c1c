import ExcelJS from "exceljs";
import { formatVnDate } from "../rules/dates";

/** Results of one test as .xlsx: the class list with scores, and the item analysis. */
export async function resultsXlsx(r: {
  exam: { title: string; className: string };
  trainees: { name: string; birthDate: string | null; unit: string; score: number | null; band: string | null; passed: boolean | null; receipt: string | null; awaitingGrading?: boolean }[];
  items: { versionId: number; lesson: number | null; stem: string; facility: number; discrimination: number | null; n: number; unanswered: number; optionCounts: number[] }[];
}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Kết quả");
  ws.addRow([r.exam.title]).font = { bold: true, size: 13 };
  ws.addRow([r.exam.className]);
  ws.addRow([]);
  ws.addRow(["STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Điểm", "Xếp loại", "Kết quả", "Mã biên nhận"]).font = { bold: true };
  // Cell text never starts with = + - @: names and units are data, not formulas.
  const safe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
  r.trainees.forEach((t, i) =>
    ws.addRow([i + 1, safe(t.name), formatVnDate(t.birthDate), safe(t.unit), t.score ?? "", t.band ?? (t.awaitingGrading ? "Chờ chấm tự luận" : "Chưa nộp"), t.passed === null ? "" : t.passed ? "Đạt" : "Không đạt", t.receipt ?? ""]),
  );
  ws.columns.forEach((c, i) => (c.width = [6, 28, 12, 32, 8, 12, 12, 18][i]));
  const items = wb.addWorksheet("Phân tích câu hỏi");
  items.addRow(["Bài", "Câu hỏi", "Số lượt", "Độ khó (tỷ lệ đúng)", "Độ phân biệt", "Bỏ trống", "Số lần chọn A", "B", "C", "D", "E"]).font = { bold: true };
  for (const it of r.items) items.addRow([it.lesson ?? "", safe(it.stem), it.n, it.facility, it.discrimination ?? "", it.unanswered, ...it.optionCounts]);
  items.getColumn(2).width = 70;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
