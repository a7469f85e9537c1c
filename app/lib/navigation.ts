import type { Role } from "../../server/db/schema";

/** What each role finds in the menu; pure, shared by the layout and the home page. */
export interface NavItem {
  to: string;
  label: string;
  description: string;
  roles: Role[] | "all";
}

export const NAV_ITEMS: NavItem[] = [
  { to: "/", label: "Trang chủ", description: "Tổng quan công việc của bạn", roles: "all" },
  { to: "/hoc-tap", label: "Học tập", description: "Bài giảng của chương trình, tự học và theo dõi tiến độ", roles: ["trainee", "lecturer", "centre_admin", "committee", "organisation_board", "proctor", "unit_secretary"] },
  { to: "/thi", label: "Bài kiểm tra", description: "Làm bài kiểm tra trực tuyến, xem kết quả và biên nhận", roles: ["trainee"] },
  { to: "/lop", label: "Lớp học", description: "Các lớp của trung tâm và tiến độ tự học của học viên", roles: ["centre_admin", "lecturer"] },
  { to: "/bai-giang", label: "Soạn, duyệt bài giảng", description: "Sửa bài giảng, xem trước, gửi duyệt; Ban Tuyên giáo duyệt và xuất bản", roles: ["lecturer", "committee"] },
  { to: "/ngan-hang", label: "Ngân hàng câu hỏi", description: "Soạn, nhập, xuất câu hỏi theo bài và mức độ; Ban Tuyên giáo duyệt", roles: ["lecturer", "committee"] },
  { to: "/ho-so", label: "Hồ sơ của tôi", description: "Thông tin cá nhân và đơn vị", roles: ["trainee", "unit_secretary", "lecturer"] },
  { to: "/to-chuc", label: "Tổ chức", description: "Cây tổ chức đảng và trung tâm chính trị trong phạm vi của bạn", roles: ["admin", "centre_admin", "committee", "organisation_board", "unit_secretary"] },
  { to: "/nhan-su", label: "Nhân sự", description: "Danh sách người trong đơn vị, sắp theo tên", roles: ["admin", "centre_admin", "committee", "organisation_board", "unit_secretary"] },
  { to: "/tai-khoan/nhap", label: "Cấp tài khoản học viên", description: "Nhập danh sách học viên từ Excel hoặc CSV và in mật khẩu ban đầu", roles: ["admin", "centre_admin"] },
  { to: "/doi-mat-khau", label: "Đổi mật khẩu", description: "Đổi mật khẩu đăng nhập", roles: "all" },
];

export function navFor(roles: Role[]): NavItem[] {
  return NAV_ITEMS.filter((i) => i.roles === "all" || roles.includes("admin") || i.roles.some((r) => roles.includes(r)));
}
