import type { AttendanceStatus } from "../db/schema-class-records";

/** Attendance statuses and their labels; no imports with side effects, so pages can use them too. */
export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  co_mat: "Có mặt",
  vang_co_phep: "Vắng có phép",
  vang_khong_phep: "Vắng không phép",
  di_muon: "Đi muộn",
};
export const ATTENDANCE_STATUSES = Object.keys(ATTENDANCE_LABELS) as AttendanceStatus[];
