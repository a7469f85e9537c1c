import { renderPartyDocumentPdf } from "../documents/pdf";
import type { Block, PartyDocument } from "../documents/model";
import { EVENT_LABELS, type RosterEvent, type RosterRow } from "./roster";

/**
 * The incident report (biên bản coi thi) of an exam session: who sat and who was
 * absent, every integrity event and proctor action with its time and reason, and the
 * signatures. Built as a Party-layout document (domain brief §6) and printed with the
 * embedded Unicode font of server/documents.
 */
export interface IncidentReportInput {
  session: {
    id: number;
    title: string;
    class_name: string;
    centre_name: string;
    centre_abbr: string;
    unit_name: string;
    place_name: string | null;
    director_name: string | null;
    opens_at: Date;
    duration_minutes: number;
    started_by_proctor_at: Date | null;
    session_ended_at: Date | null;
  };
  parentName: string;
  rows: RosterRow[];
  events: RosterEvent[];
  proctors: string[];
  signer: string;
  now: Date;
  /** The number from the centre's document register, when one is kept. */
  seq?: number;
}

const TZ = "Asia/Ho_Chi_Minh";

function clockTime(iso: string | Date): string {
  return new Intl.DateTimeFormat("vi-VN", { timeZone: TZ, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }).format(
    new Date(iso),
  );
}

function isoDay(d: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  return parts; // YYYY-MM-DD
}

/** "Đảng ủy xã Tân Lập" → "Đảng bộ xã Tân Lập": the party organisation a committee leads. */
export function partyBodyOf(unitName: string): string {
  return unitName
    .replace(/^Đảng ủy\s+/u, "Đảng bộ ")
    .replace(/^Tỉnh ủy\s+/u, "Đảng bộ tỉnh ")
    .replace(/^Huyện ủy\s+/u, "Đảng bộ huyện ");
}

const STATUS_TEXT: Record<RosterRow["status"], string> = {
  absent: "Vắng",
  waiting: "Có mặt, chưa làm bài",
  ready: "Vắng",
  in_progress: "Đang làm bài",
  paused: "Tạm dừng",
  locked: "Bị khóa bài",
  submitted: "Đã nộp bài",
};

export function incidentReportDocument(input: IncidentReportInput): PartyDocument {
  const s = input.session;
  const sat = input.rows.filter(
    (r) =>
      r.attemptId !== null && (r.status === "submitted" || r.status === "in_progress" || r.status === "paused" || r.status === "locked"),
  );
  const absent = input.rows.filter((r) => !sat.includes(r));
  const started = s.started_by_proctor_at ?? s.opens_at;
  const body: Block[] = [
    {
      kind: "paragraph",
      text: `Hôm nay, ${clockTime(input.now)} ngày ${isoDay(input.now).split("-").reverse().join("/")}, tại ${s.centre_name}, chúng tôi gồm: ${input.proctors.length ? input.proctors.join(", ") : input.signer} (giám thị), lập biên bản ca thi “${s.title}” của ${s.class_name}.`,
    },
    { kind: "heading", text: "I. Tình hình chung" },
    {
      kind: "list",
      items: [
        `Thời gian làm bài: ${s.duration_minutes} phút; bắt đầu lúc ${clockTime(started)}${s.session_ended_at ? `, kết thúc ca thi lúc ${clockTime(s.session_ended_at)}` : ""}.`,
        `Số học viên theo danh sách: ${input.rows.length}; dự thi: ${sat.length}; vắng: ${absent.length}.`,
        `Số bài đã nộp: ${input.rows.filter((r) => r.status === "submitted").length}.`,
      ],
    },
    { kind: "heading", text: "II. Danh sách học viên" },
    {
      kind: "table",
      columns: [
        { header: "TT", width: 1, align: "center" },
        { header: "Họ và tên", width: 5 },
        { header: "Đơn vị", width: 5 },
        { header: "Tình trạng", width: 4 },
        { header: "Số câu đã trả lời", width: 3, align: "center" },
      ],
      rows: input.rows.map((r, i) => [
        String(i + 1),
        r.name,
        r.unit,
        STATUS_TEXT[r.status],
        r.attemptId ? `${r.answered.length}/${r.total}` : "—",
      ]),
    },
    { kind: "heading", text: "III. Diễn biến, vi phạm và xử lý" },
  ];
  if (input.events.length) {
    body.push({
      kind: "table",
      columns: [
        { header: "Thời gian", width: 2, align: "center" },
        { header: "Học viên", width: 4 },
        { header: "Sự việc", width: 4 },
        { header: "Người xử lý, lý do", width: 6 },
      ],
      rows: input.events.map((e) => [
        clockTime(e.at),
        e.name ?? "Cả phòng",
        EVENT_LABELS[e.kind] ?? e.kind,
        e.source === "proctor"
          ? `${e.actor ?? "Giám thị"}${e.reason ? `: ${e.reason}` : ""}`
          : e.source === "server"
            ? "Hệ thống"
            : "Ghi nhận tự động (không tự xử lý)",
      ]),
    });
  } else {
    body.push({ kind: "paragraph", text: "Không có sự việc nào được ghi nhận." });
  }
  body.push(
    {
      kind: "paragraph",
      text: "Các tín hiệu ghi nhận tự động từ trình duyệt của học viên chỉ để giám thị theo dõi; việc xử lý do giám thị quyết định và ghi rõ lý do.",
    },
    {
      kind: "paragraph",
      text: "Biên bản lập xong lúc " + clockTime(input.now) + ", đã đọc lại cho những người có mặt cùng nghe và thống nhất ký tên.",
    },
    {
      kind: "table",
      columns: [
        { header: "GIÁM THỊ", width: 1, align: "center" },
        { header: "ĐẠI DIỆN HỌC VIÊN", width: 1, align: "center" },
      ],
      rows: [["(Ký, ghi rõ họ tên)\n\n\n\n" + (input.proctors[0] ?? input.signer), "(Ký, ghi rõ họ tên)\n\n\n\n"]],
    },
  );
  return {
    header: { parentBody: partyBodyOf(input.parentName).toLocaleUpperCase("vi"), issuer: s.centre_name.toLocaleUpperCase("vi") },
    number: { seq: input.seq ?? s.id, typeAbbr: "BB", issuerAbbr: s.centre_abbr },
    place: s.place_name ?? s.unit_name.replace(/^Đảng ủy\s+(xã|phường|thị trấn)\s+/u, ""),
    date: isoDay(input.now),
    typeName: "BIÊN BẢN",
    summary: `Ca thi “${s.title}”`,
    body,
    signature: { onBehalfOf: "T/M HỘI ĐỒNG COI THI", title: "GIÁM ĐỐC", name: s.director_name ?? input.signer },
    recipients: ["Ban Giám đốc Trung tâm,", "Lưu hồ sơ lớp học."],
  };
}

export function renderIncidentReport(input: IncidentReportInput): Promise<Uint8Array> {
  return renderPartyDocumentPdf(incidentReportDocument(input));
}
