import type { SurveyQuestion } from "../db/schema-surveys";

/**
 * The default forms, as data: a centre copies and edits them (survey_template). The
 * course survey covers the four areas the committee reviews (domain brief §5.8); the
 * observation form is what a lecturer or the centre fills in at a dự giờ / thao giảng.
 */
export const LIKERT_LABELS = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"] as const;

export const SECTION_LABELS: Record<SurveyQuestion["section"], string> = {
  content: "Nội dung chương trình",
  lecturer: "Giảng viên",
  organisation: "Tổ chức lớp học",
  facilities: "Cơ sở vật chất",
  general: "Ý kiến chung",
};

export const COURSE_SURVEY: { code: string; kind: "course"; name: string; questions: SurveyQuestion[] } = {
  code: "khao-sat-khoa-hoc",
  kind: "course",
  name: "Phiếu khảo sát ý kiến học viên cuối khóa",
  questions: [
    { key: "nd1", section: "content", type: "likert", text: "Nội dung các bài học thiết thực, phù hợp với nhu cầu của học viên" },
    { key: "nd2", section: "content", type: "likert", text: "Tài liệu học tập đầy đủ, dễ hiểu, được cập nhật" },
    { key: "gv1", section: "lecturer", type: "likert", text: "Giảng viên truyền đạt rõ ràng, dễ hiểu, liên hệ thực tiễn" },
    {
      key: "gv2",
      section: "lecturer",
      type: "likert",
      text: "Giảng viên sử dụng phương pháp giảng dạy tích cực, khuyến khích học viên trao đổi",
    },
    { key: "tc1", section: "organisation", type: "likert", text: "Thời gian, lịch học được bố trí hợp lý" },
    { key: "tc2", section: "organisation", type: "likert", text: "Công tác quản lý lớp, kiểm tra đánh giá nghiêm túc, khách quan" },
    { key: "vc1", section: "facilities", type: "likert", text: "Phòng học, trang thiết bị, đường truyền đáp ứng yêu cầu học tập" },
    {
      key: "tg",
      section: "general",
      type: "choice",
      text: "Thời lượng khóa học so với nội dung",
      options: ["Quá ngắn", "Vừa đủ", "Quá dài"],
    },
    { key: "y1", section: "general", type: "text", text: "Điều anh/chị thấy bổ ích nhất trong khóa học", required: false },
    { key: "y2", section: "general", type: "text", text: "Đề xuất để lớp sau tốt hơn", required: false },
  ],
};

export const OBSERVATION_FORM: { code: string; kind: "observation"; name: string; questions: SurveyQuestion[] } = {
  code: "phieu-du-gio",
  kind: "observation",
  name: "Phiếu dự giờ, thao giảng",
  questions: [
    { key: "cb", section: "lecturer", type: "likert", text: "Chuẩn bị bài giảng (giáo án, tài liệu, phương tiện)" },
    { key: "nd", section: "content", type: "likert", text: "Nội dung chính xác, đúng chương trình, có liên hệ thực tiễn địa phương" },
    { key: "pp", section: "lecturer", type: "likert", text: "Phương pháp giảng dạy, tương tác với học viên" },
    { key: "tg", section: "organisation", type: "likert", text: "Phân bổ thời gian hợp lý, đảm bảo số tiết" },
    { key: "tp", section: "lecturer", type: "likert", text: "Tác phong, ngôn ngữ sư phạm" },
    { key: "xl", section: "general", type: "choice", text: "Xếp loại tiết giảng", options: ["Chưa đạt", "Đạt", "Khá", "Tốt"] },
    { key: "nx", section: "general", type: "text", text: "Nhận xét, góp ý cho giảng viên", required: false },
  ],
};

export const DEFAULT_TEMPLATES = [COURSE_SURVEY, OBSERVATION_FORM];
export const DEFAULT_MIN_GROUP = 5;
