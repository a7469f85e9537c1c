/**
 * The proctor's roster board as data: one row per enrolled trainee, built from a
 * snapshot on join and kept current by updates. Pure (no I/O) so the server builds
 * snapshots and the browser applies updates with the same code.
 *
 * Updates replace a row's fields and carry a revision; a row keeps the newest
 * revision, so updates that arrive twice or out of order (reconnects, two server
 * processes) never move the board backwards.
 */

export type AttemptState = "absent" | "waiting" | "ready" | "in_progress" | "paused" | "locked" | "submitted";

export interface RosterRow {
  personId: number;
  name: string;
  unit: string;
  attemptId: number | null;
  status: AttemptState;
  connected: boolean;
  /** The question the trainee is looking at (1-based), when known. */
  current: number | null;
  answered: number[];
  total: number;
  deadline: string | null;
  submittedAt: string | null;
  score: number | null;
  takeoverPending: boolean;
  integrityCount: number;
  lastIntegrity: { kind: string; at: string } | null;
  /** Last sign of life (answer, focus change, connection), ISO. */
  lastActivity: string | null;
  rev: number;
}

export interface RosterEvent {
  id: string;
  at: string;
  attemptId: number | null;
  personId: number | null;
  name: string | null;
  source: "trainee" | "proctor" | "server";
  kind: string;
  reason: string | null;
  actor: string | null;
}

export interface RosterSnapshot {
  examId: number;
  title: string;
  className: string;
  serverNow: string;
  gate: boolean;
  startedAt: string | null;
  pausedAt: string | null;
  endedAt: string | null;
  rows: RosterRow[];
  events: RosterEvent[];
}

export type RosterPatch = Partial<Omit<RosterRow, "personId" | "rev">> & { personId: number; rev: number };

/** Applies one update; older revisions are ignored. Returns a new array only when something changed. */
export function applyPatch(rows: RosterRow[], patch: RosterPatch): RosterRow[] {
  const i = rows.findIndex((r) => r.personId === patch.personId);
  if (i < 0) return rows;
  const row = rows[i]!;
  if (patch.rev <= row.rev) return rows;
  const next = rows.slice();
  next[i] = { ...row, ...patch };
  return next;
}

/** An answer saved: adds or removes the position from the answered set. */
export function answeredAfter(answered: number[], position: number, hasAnswer: boolean): number[] {
  const set = new Set(answered);
  if (hasAnswer) set.add(position);
  else set.delete(position);
  return [...set].sort((a, b) => a - b);
}

export const INTEGRITY_KINDS = [
  "page_hidden",
  "window_blur",
  "fullscreen_exit",
  "copy",
  "paste",
  "second_tab",
  "second_device",
  "ip_change",
] as const;
export type IntegrityKind = (typeof INTEGRITY_KINDS)[number];

export const EVENT_LABELS: Record<string, string> = {
  page_hidden: "Rời khỏi trang thi",
  window_blur: "Chuyển sang cửa sổ khác",
  fullscreen_exit: "Thoát toàn màn hình",
  copy: "Sao chép nội dung",
  paste: "Dán nội dung",
  second_tab: "Mở bài thi ở thẻ thứ hai",
  second_device: "Thiết bị thứ hai xin vào bài",
  ip_change: "Đổi địa chỉ mạng",
  start_all: "Cho cả phòng bắt đầu",
  admit: "Cho vào thi muộn",
  pause: "Tạm dừng",
  resume: "Tiếp tục",
  add_time: "Cộng thêm giờ",
  message: "Nhắc nhở",
  lock: "Khóa bài",
  unlock: "Mở khóa bài",
  force_submit: "Thu bài",
  approve_takeover: "Cho chuyển thiết bị",
  reopen: "Mở lại bài đã nộp",
  end_session: "Kết thúc ca thi",
  auto_submit: "Hệ thống thu bài khi hết giờ",
};

export interface Alert {
  personId: number;
  kind: "disconnected" | "idle" | "integrity" | "takeover";
  text: string;
}

/**
 * Who needs the proctor's eyes: trainees sitting but disconnected, idle for longer
 * than `idleSeconds`, with integrity events, or asking for a device takeover.
 */
export function alertsFor(rows: RosterRow[], now: Date, idleSeconds = 180): Alert[] {
  const out: Alert[] = [];
  for (const r of rows) {
    const sitting = r.status === "in_progress" || r.status === "paused" || r.status === "locked";
    if (r.takeoverPending) out.push({ personId: r.personId, kind: "takeover", text: `${r.name}: thiết bị khác xin vào bài` });
    if (sitting && !r.connected) out.push({ personId: r.personId, kind: "disconnected", text: `${r.name}: mất kết nối` });
    else if (r.status === "in_progress" && r.lastActivity && now.getTime() - Date.parse(r.lastActivity) > idleSeconds * 1000)
      out.push({ personId: r.personId, kind: "idle", text: `${r.name}: không thao tác hơn ${Math.round(idleSeconds / 60)} phút` });
    if (r.integrityCount > 0 && r.lastIntegrity)
      out.push({
        personId: r.personId,
        kind: "integrity",
        text: `${r.name}: ${EVENT_LABELS[r.lastIntegrity.kind] ?? r.lastIntegrity.kind} (${r.integrityCount} lần)`,
      });
  }
  return out;
}

export type RosterSort = "name" | "answered" | "status" | "integrity";
export type RosterFilter = "all" | "alerts" | "absent" | "sitting" | "submitted";

export function filterAndSort(
  rows: RosterRow[],
  filter: RosterFilter,
  sort: RosterSort,
  alerts: Alert[],
  compareNames: (a: string, b: string) => number,
): RosterRow[] {
  const flagged = new Set(alerts.map((a) => a.personId));
  const kept = rows.filter((r) => {
    switch (filter) {
      case "alerts":
        return flagged.has(r.personId);
      case "absent":
        return r.status === "absent" || r.status === "waiting";
      case "sitting":
        return r.status === "in_progress" || r.status === "paused" || r.status === "locked";
      case "submitted":
        return r.status === "submitted";
      default:
        return true;
    }
  });
  const order: Record<AttemptState, number> = { locked: 0, paused: 1, in_progress: 2, waiting: 3, ready: 4, absent: 5, submitted: 6 };
  return kept.sort((a, b) => {
    if (sort === "answered") return b.answered.length - a.answered.length || compareNames(a.name, b.name);
    if (sort === "status") return order[a.status] - order[b.status] || compareNames(a.name, b.name);
    if (sort === "integrity") return b.integrityCount - a.integrityCount || compareNames(a.name, b.name);
    return compareNames(a.name, b.name);
  });
}
