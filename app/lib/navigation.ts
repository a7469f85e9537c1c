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
  {
    to: "/hoc-tap",
    label: "Học tập",
    description: "Bài giảng của chương trình, tự học và theo dõi tiến độ",
    roles: ["trainee", "lecturer", "centre_admin", "committee", "organisation_board", "proctor", "unit_secretary"],
  },
  { to: "/thi", label: "Bài kiểm tra", description: "Làm bài kiểm tra trực tuyến, xem kết quả và biên nhận", roles: ["trainee"] },
  {
    to: "/lop",
    label: "Lớp học",
    description: "Từng lớp và các bước của lớp: lịch học, điểm danh, kiểm tra, kết quả, giấy chứng nhận, thông báo và báo cáo",
    roles: ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"],
  },
  {
    to: "/ke-hoach",
    label: "Kế hoạch bồi dưỡng",
    description: "Các lớp dự kiến trong năm và tiến độ; mở lớp, in giấy triệu tập",
    roles: ["centre_admin", "organisation_board", "committee", "unit_secretary"],
  },
  {
    to: "/de-cu",
    label: "Đề cử đi học",
    description: "Gửi danh sách đề cử (điền mẫu hoặc tệp Excel) và xem kết quả thẩm định",
    roles: ["unit_secretary"],
  },
  {
    to: "/xet-duyet",
    label: "Thẩm định đề cử",
    description: "Đối chiếu điều kiện dự học, duyệt hoặc không duyệt người được đề cử",
    roles: ["organisation_board"],
  },
  {
    to: "/bai-giang",
    label: "Soạn, duyệt bài giảng",
    description: "Sửa bài giảng, xem trước, gửi duyệt; Ban Tuyên giáo duyệt và xuất bản",
    roles: ["lecturer", "committee"],
  },
  {
    to: "/ngan-hang",
    label: "Ngân hàng câu hỏi",
    description: "Soạn, nhập, xuất câu hỏi theo bài và mức độ; Ban Tuyên giáo duyệt",
    roles: ["lecturer", "committee"],
  },
  { to: "/diem-danh", label: "Điểm danh", description: "Mã điểm danh cá nhân; quét mã của lớp để điểm danh", roles: ["trainee"] },
  { to: "/chung-chi", label: "Giấy chứng nhận", description: "Tải giấy chứng nhận hoàn thành chương trình", roles: ["trainee"] },
  {
    to: "/giam-thi",
    label: "Coi thi",
    description: "Theo dõi phòng thi trực tiếp, xử lý sự việc, in biên bản",
    roles: ["proctor", "centre_admin"],
  },
  {
    to: "/ket-qua-truc-tiep",
    label: "Kết quả trực tiếp",
    description: "Kết quả các ca thi cập nhật ngay khi học viên nộp bài",
    roles: ["committee", "organisation_board", "centre_admin"],
  },
  {
    to: "/khao-sat",
    label: "Khảo sát",
    description: "Phiếu khảo sát cuối khóa, dự giờ; kết quả tổng hợp không ghi tên",
    roles: ["trainee", "centre_admin", "lecturer", "committee", "organisation_board"],
  },
  {
    to: "/bang-dieu-khien",
    label: "Bảng điều khiển",
    description: "Kết quả bồi dưỡng, chỉ tiêu, ý kiến học viên theo trung tâm, chương trình, quý",
    roles: ["committee", "organisation_board", "centre_admin"],
  },
  {
    to: "/phat-trien-dang",
    label: "Phát triển đảng viên",
    description: "Kế hoạch phát triển đảng viên của chi bộ, từng người và cảnh báo",
    roles: ["unit_secretary", "organisation_board"],
  },
  { to: "/ho-so", label: "Hồ sơ của tôi", description: "Thông tin cá nhân và đơn vị", roles: ["trainee", "unit_secretary", "lecturer"] },
  {
    to: "/to-chuc",
    label: "Tổ chức",
    description: "Cây tổ chức đảng và trung tâm chính trị trong phạm vi của bạn",
    roles: ["admin", "centre_admin", "committee", "organisation_board", "unit_secretary"],
  },
  {
    to: "/nhan-su",
    label: "Nhân sự",
    description: "Danh sách người trong đơn vị, sắp theo tên",
    roles: ["admin", "centre_admin", "committee", "organisation_board", "unit_secretary"],
  },
  {
    to: "/tai-khoan/nhap",
    label: "Cấp tài khoản học viên",
    description: "Nhập danh sách học viên từ Excel hoặc CSV và in mật khẩu ban đầu",
    roles: ["admin", "centre_admin"],
  },
  { to: "/doi-mat-khau", label: "Đổi mật khẩu", description: "Đổi mật khẩu đăng nhập", roles: "all" },
];

export function navFor(roles: Role[]): NavItem[] {
  return NAV_ITEMS.filter((i) => i.roles === "all" || roles.includes("admin") || i.roles.some((r) => roles.includes(r)));
}
