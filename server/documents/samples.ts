import { formatCertificateNumber } from "../rules/certificate-number";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import type { CertificateData } from "./certificate";
import type { PartyDocument } from "./model";

/**
 * Made-up but realistic inputs (a fictional province and commune) for the tests, the
 * benchmark and the sample images in docs/. Not used by the application itself.
 */

const TRAINEES = [
  ["Nguyễn Thị Mai", "12/04/2001", "Chi bộ Trường THPT Tân Lập", "8,5", "Khá"],
  ["Trần Văn Đức", "03/09/1998", "Chi bộ thôn Đông Hòa", "9,0", "Giỏi"],
  ["Lê Thị Hồng Nhung", "21/11/2000", "Chi bộ Trạm Y tế xã", "7,5", "Khá"],
  ["Phạm Quốc Việt", "15/01/1997", "Chi bộ Công an xã", "9,5", "Giỏi"],
  ["Hoàng Thị Ánh Tuyết", "30/06/2005", "Chi bộ Trường THPT Tân Lập", "6,5", "Trung bình"],
  ["Vũ Đình Trọng", "08/02/1995", "Chi bộ thôn Phước Thịnh", "8,0", "Khá"],
  ["Đặng Thị Thu Hường", "19/05/1999", "Chi bộ Trường Tiểu học Tân Lập", "7,0", "Khá"],
  ["Bùi Minh Khôi", "27/12/2002", "Chi bộ Quân sự xã", "9,0", "Giỏi"],
  ["Đỗ Thị Ngọc Ánh", "11/10/2003", "Chi bộ thôn Đông Hòa", "8,0", "Khá"],
  ["Ngô Văn Lượng", "05/03/1994", "Chi bộ Hợp tác xã Nông nghiệp Tân Lập", "5,5", "Trung bình"],
  ["Dương Thị Yến", "14/08/2001", "Chi bộ Trạm Y tế xã", "7,5", "Khá"],
  ["Lý Quang Huy", "22/07/1996", "Chi bộ thôn Phước Thịnh", "—", "Không đủ điều kiện dự kiểm tra"],
] as const;

export function sampleResultsNotice(): PartyDocument {
  const rows = sortByVietnameseName([...TRAINEES], (t) => t[0]).map((t, i) => [String(i + 1), ...t]);
  return {
    header: { parentBody: "ĐẢNG BỘ TỈNH AN KHÁNH", issuer: "TRUNG TÂM CHÍNH TRỊ XÃ TÂN LẬP" },
    number: { seq: 5, typeAbbr: "TB", issuerAbbr: "TTCT" },
    place: "Tân Lập",
    date: "2026-03-05",
    typeName: "THÔNG BÁO",
    summary: "Kết quả học tập lớp bồi dưỡng nhận thức về Đảng, khóa I năm 2026",
    body: [
      {
        kind: "paragraph",
        text: "Thực hiện Kế hoạch số 12-KH/TTCT, ngày 10/02/2026 của Trung tâm Chính trị xã Tân Lập về mở lớp bồi dưỡng nhận thức về Đảng năm 2026; căn cứ kết quả học tập, rèn luyện và bài thu hoạch của học viên, Trung tâm Chính trị xã thông báo kết quả học tập của lớp bồi dưỡng nhận thức về Đảng, khóa I năm 2026 (từ ngày 02/3/2026 đến ngày 06/3/2026) như sau:",
      },
      { kind: "heading", text: "1. Kết quả chung" },
      {
        kind: "paragraph",
        text: "Tổng số học viên: 12; hoàn thành chương trình: 11 (giỏi: 3, khá: 6, trung bình: 2); không đủ điều kiện dự kiểm tra: 01 (vắng quá 20% số tiết học).",
      },
      { kind: "heading", text: "2. Kết quả của từng học viên" },
      {
        kind: "table",
        columns: [
          { header: "TT", width: 6, align: "center" },
          { header: "Họ và tên", width: 24 },
          { header: "Ngày sinh", width: 14, align: "center" },
          { header: "Đơn vị", width: 29 },
          { header: "Điểm", width: 8, align: "center" },
          { header: "Xếp loại", width: 15, align: "center" },
        ],
        rows,
      },
      { kind: "heading", text: "3. Đề nghị" },
      {
        kind: "list",
        items: [
          "Các chi bộ có học viên tiếp tục giáo dục, bồi dưỡng, giao nhiệm vụ để thử thách và xem xét kết nạp những quần chúng đủ điều kiện vào Đảng theo quy định;",
          "Học viên vắng quá 20% số tiết học được bố trí học bổ sung cùng lớp khóa II năm 2026.",
        ],
      },
      {
        kind: "paragraph",
        text: "Trung tâm Chính trị xã Tân Lập thông báo để các chi bộ, đảng bộ cơ sở biết và phối hợp thực hiện.",
      },
    ],
    signature: { deputyFor: "K/T GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Trần Thị Hương" },
    recipients: [
      "Ban Thường vụ Đảng ủy xã (để báo cáo),",
      "Ban Xây dựng Đảng Đảng ủy xã,",
      "Các chi bộ có học viên,",
      "Lưu Trung tâm Chính trị xã.",
    ],
  };
}

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"];
const MIDDLE = ["Thị", "Văn", "Minh", "Quốc", "Thu", "Đình", "Ngọc", "Hồng"];
const GIVEN = ["Mai", "Đức", "Nhung", "Việt", "Tuyết", "Trọng", "Hường", "Khôi", "Ánh", "Lượng", "Yến", "Huy", "Hương"];

/** The i-th certificate of a made-up class (i from 0 is "Nguyễn Thị Mai"); register numbers run from 0123. */
export function sampleCertificate(i = 0): CertificateData {
  const reg = formatCertificateNumber(123 + i, "TTCT", 2026);
  return {
    registerNumber: reg,
    verifyUrl: `https://boiduong.tanlap.example/xac-thuc/${reg.replace(/\W+/g, "-")}-${(0x7f3a9c + i * 7919).toString(16)}`,
    fullName: `${FAMILY[i % FAMILY.length]} ${MIDDLE[i % MIDDLE.length]} ${GIVEN[i % GIVEN.length]}`,
    birthDate: `${1994 + (i % 11)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")}`,
    unitName: ["Chi bộ Trường THPT Tân Lập", "Chi bộ thôn Đông Hòa", "Chi bộ Trạm Y tế xã", "Chi bộ Công an xã"][i % 4],
    programmeName: "Bồi dưỡng nhận thức về Đảng",
    classLabel: "Khóa I năm 2026",
    fromDate: "2026-03-02",
    toDate: "2026-03-06",
    classification: ["Khá", "Giỏi", "Khá", "Trung bình"][i % 4],
    issuerHeader: { parentBody: "ĐẢNG BỘ TỈNH AN KHÁNH", issuer: "TRUNG TÂM CHÍNH TRỊ XÃ TÂN LẬP" },
    place: "Tân Lập",
    issueDate: "2026-03-10",
    signature: { deputyFor: "K/T GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Trần Thị Hương" },
  };
}
