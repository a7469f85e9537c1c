import type { PartyStatus } from "../db/schema";

/** Display labels, pure: safe to import from browser code. */
export const EDUCATION_LABELS: Record<string, string> = {
  tieu_hoc: "Tiểu học",
  thcs: "Trung học cơ sở",
  thpt: "Trung học phổ thông",
  trung_cap: "Trung cấp",
  cao_dang: "Cao đẳng",
  dai_hoc: "Đại học",
  sau_dai_hoc: "Sau đại học",
};

export const PARTY_STATUS_LABELS: Record<PartyStatus, string> = {
  quan_chung: "Quần chúng",
  du_bi: "Đảng viên dự bị",
  chinh_thuc: "Đảng viên chính thức",
};
