/**
 * The route table of the authorization sweep (tests/e2e/authorization-sweep.spec.ts;
 * docs/security.md, "The authorization sweep"). One case per file in app/routes: a
 * route module without a case, or a case without a module, fails the sweep.
 *
 * A case says where the route lives, who may use it at all, and which commune-owned
 * object each id in its address (or in its form) names. The sweep then tries it as
 * nobody, as every role that may not use it, and as every role of the other commune on
 * that object, and expects a refusal each time.
 */
export type Role = "admin" | "centre_admin" | "lecturer" | "proctor" | "organisation_board" | "committee" | "unit_secretary" | "trainee";

/**
 * Objects owned by a commune. The sweep finds each through the pages of its owner:
 * Bình Minh's through canbo.binhminh, Tân Lập's through canbo.tanlap and hocvien.
 * Both communes have every kind in the demo (Bình Minh's exam, attempt, plan item,
 * nomination and certificates come from server/seed/demo-binh-minh.ts), so every route is
 * swept in both directions.
 */
export type Owned = "class" | "exam" | "attempt" | "survey" | "person" | "planItem" | "nomination" | "certificate" | "unit" | "centre";
/** Province-wide content (programmes, lessons, banks, questions): no commune owns it. */
export type Shared = "lesson" | "bank" | "question" | "programme" | "slug" | "file" | "code" | "media";

export interface RouteCase {
  /** The address, with `:name` for each parameter. */
  path: string;
  /** What each parameter names. */
  params?: Record<string, Owned | Shared>;
  /** Who may use the route at all ("viewer": any logged-in user; "public": anybody). Admin always may. */
  roles: Role[] | "viewer" | "public";
  /** Roles allowed to POST, when narrower than `roles`. */
  postRoles?: Role[];
  /** false: there is no loader (action only). */
  get?: boolean;
  /** The intents its action knows; [""] for an action without intents; absent: no action. */
  posts?: string[];
  /** Form fields naming commune-owned objects, so the POST is tried against the other commune's. */
  form?: Record<string, Owned>;
  /** A resource route (file, JSON): POSTed directly, not through Remix's `.data` endpoint. */
  resource?: boolean;
  /** The form field that carries the intent, when it is not `intent`. */
  intentField?: string;
  /** The intents for which `form` names the other commune's object while the address names the viewer's own (default: all). */
  formIntents?: string[];
  /** Other form fields, so the action gets past its form checks to the scope check. */
  fields?: Record<string, string>;
  /** A query string the page needs (without it, the route answers 400 before reading its ids). */
  query?: string;
  /**
   * Numeric ids the loader reads from the query string: "required" ones make the page a 404
   * when they are not a positive int4, "optional" ones (filters) are then ignored (200).
   */
  searchIds?: Record<string, "required" | "optional">;
  /** Why a POST is not swept as a logged-in role (it would change the demo for the next specs or end the session). */
  noPost?: string;
}

const STAFF_READ: Role[] = ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"];
const DASHBOARD: Role[] = ["committee", "organisation_board", "centre_admin"];
const PROCTORS: Role[] = ["proctor", "centre_admin", "committee", "organisation_board"];

export const ROUTE_CASES: Record<string, RouteCase> = {
  _index: { path: "/", roles: "viewer" },
  // A stem image: only the trainee who owns the attempt (server/questions/media.ts).
  "api.thi.$attemptId_.anh.$hash": {
    path: "/api/thi/:attemptId/anh/:hash",
    params: { attemptId: "attempt", hash: "media" },
    roles: ["trainee"],
    resource: true,
  },
  "api.thi.$attemptId": {
    path: "/api/thi/:attemptId",
    params: { attemptId: "attempt" },
    roles: ["trainee"],
    get: false,
    posts: ["sync", "answer", "submit"],
    resource: true,
  },
  "bai-giang.$id._index": {
    path: "/bai-giang/:id",
    params: { id: "lesson" },
    roles: ["lecturer", "committee"],
    searchIds: { ban: "optional" },
    posts: ["save", "submit", "approve"],
  },
  "bai-giang.$id.so-sanh": {
    path: "/bai-giang/:id/so-sanh",
    params: { id: "lesson" },
    roles: ["lecturer", "committee"],
    searchIds: { tu: "required", den: "required" },
  },
  "bai-giang._index": { path: "/bai-giang", roles: ["lecturer", "committee"] },
  "bang-dieu-khien._index": { path: "/bang-dieu-khien", roles: DASHBOARD },
  "bang-dieu-khien.bao-cao[.]pdf": { path: "/bang-dieu-khien/bao-cao.pdf", roles: DASHBOARD, resource: true },
  "bang-dieu-khien[.]xlsx": { path: "/bang-dieu-khien.xlsx", roles: DASHBOARD, resource: true },
  "bien-nhan": { path: "/bien-nhan", roles: "public" },
  "chung-chi.$id[.]pdf": { path: "/chung-chi/:id.pdf", params: { id: "certificate" }, roles: "viewer", resource: true },
  "chung-chi._index": { path: "/chung-chi", roles: ["trainee"] },
  "dang-nhap": { path: "/dang-nhap", roles: "public", posts: [""], noPost: "a login attempt counts against the address's throttle" },
  "dang-xuat": { path: "/dang-xuat", roles: "public", posts: [""], resource: true, noPost: "it ends the saved session" },
  "de-cu._index": {
    path: "/de-cu",
    roles: ["unit_secretary"],
    posts: ["nominate", "withdraw"],
    form: { unitId: "unit", id: "nomination" },
    fields: {
      programmeCode: "hd61",
      fullName: "Nguyễn Văn Thử",
      birthDate: "1990-01-01",
      gender: "nam",
      ethnicity: "Kinh",
      education: "thpt",
      partyStatus: "quan_chung",
    },
  },
  "de-cu.mau[.]xlsx": { path: "/de-cu/mau.xlsx", roles: ["unit_secretary", "organisation_board", "centre_admin"], resource: true },
  "de-cu.nhap": {
    path: "/de-cu/nhap",
    roles: ["unit_secretary"],
    posts: ["preview", "commit"],
    form: { unitId: "unit", planItemId: "planItem" },
  },
  "diem-danh._index": { path: "/diem-danh", roles: ["trainee"] },
  "diem-danh.quet": {
    path: "/diem-danh/quet",
    roles: "viewer",
    searchIds: { s: "optional" },
    posts: [""],
    noPost: "checking in writes the viewer's own attendance; no other commune's id is taken",
  },
  "doi-mat-khau": { path: "/doi-mat-khau", roles: "viewer", posts: [""], noPost: "changes the viewer's own password" },
  "giam-thi.$examId.bien-ban[.]pdf": {
    path: "/giam-thi/:examId/bien-ban.pdf",
    params: { examId: "exam" },
    roles: PROCTORS,
    resource: true,
  },
  "giam-thi.$examId": { path: "/giam-thi/:examId", params: { examId: "exam" }, roles: PROCTORS },
  "giam-thi._index": {
    path: "/giam-thi",
    roles: PROCTORS,
    postRoles: ["centre_admin"],
    posts: ["assign", "remove"],
    form: { examId: "exam" },
  },
  "ho-so": { path: "/ho-so", roles: "viewer" },
  "hoc-tap.$programme.$slug": {
    path: "/hoc-tap/:programme/:slug",
    params: { programme: "programme", slug: "slug" },
    roles: "viewer",
    posts: ["complete", "heartbeat", "undo"],
    noPost: "progress is the viewer's own; no other commune's id is taken",
  },
  "hoc-tap.$programme._index": { path: "/hoc-tap/:programme", params: { programme: "programme" }, roles: "viewer" },
  "hoc-tap._index": { path: "/hoc-tap", roles: "viewer" },
  "hoc-tap.tu-kiem-tra.$lessonId": {
    path: "/hoc-tap/tu-kiem-tra/:lessonId",
    params: { lessonId: "lesson" },
    roles: "viewer",
    get: false,
    posts: [""],
    resource: true,
    noPost: "grades the viewer's own self-check (item 2 owns its rules)",
  },
  "ke-hoach.$itemId.mo-lop": {
    path: "/ke-hoach/:itemId/mo-lop",
    params: { itemId: "planItem" },
    roles: ["centre_admin"],
    intentField: "mode",
    posts: ["new", "existing"],
    formIntents: ["existing"],
    form: { classId: "class", nomination: "nomination" },
    fields: { name: "Lớp kiểm tra phân quyền", venue: "Hội trường", startsOn: "2026-12-01", endsOn: "2026-12-05" },
  },
  "ke-hoach._index": {
    path: "/ke-hoach",
    roles: ["centre_admin", "organisation_board", "committee", "unit_secretary"],
    searchIds: { nam: "optional" },
    postRoles: ["centre_admin"],
    posts: ["save", "remove"],
    form: { centreId: "centre", itemId: "planItem" },
    formIntents: ["save"],
    fields: { year: "2026", programmeCode: "hd61", label: "Khóa thử", month: "12", targetSize: "30", intendedGroup: "đoàn viên" },
  },
  "ket-qua-truc-tiep": { path: "/ket-qua-truc-tiep", roles: DASHBOARD },
  "khao-sat.$id._index": { path: "/khao-sat/:id", params: { id: "survey" }, roles: "viewer", posts: [""] },
  "khao-sat.$id.ket-qua": {
    path: "/khao-sat/:id/ket-qua",
    params: { id: "survey" },
    roles: ["centre_admin", "lecturer", "committee", "organisation_board"],
    postRoles: ["centre_admin"],
    posts: [""],
  },
  "khao-sat._index": { path: "/khao-sat", roles: "viewer", posts: [""], form: { classId: "class" }, fields: { templateId: "1" } },
  "kiem-tra.$examId.cham-lai": {
    path: "/kiem-tra/:examId/cham-lai",
    params: { examId: "exam" },
    roles: ["centre_admin", "committee"],
    posts: ["preview", "apply"],
    fields: { previewed: "[0]", versionId: "1", correct: "0" },
  },
  "kiem-tra.$examId.cham-tu-luan": {
    path: "/kiem-tra/:examId/cham-tu-luan",
    params: { examId: "exam" },
    roles: ["lecturer", "centre_admin"],
    posts: [""],
    form: { attemptId: "attempt" },
  },
  "kiem-tra.$examId.cong-gio": {
    path: "/kiem-tra/:examId/cong-gio",
    params: { examId: "exam" },
    roles: ["centre_admin", "proctor"],
    posts: [""],
    form: { personId: "person" },
  },
  "kiem-tra.$examId.ket-qua": { path: "/kiem-tra/:examId/ket-qua", params: { examId: "exam" }, roles: ["centre_admin", "lecturer"] },
  "kiem-tra.$examId.ket-qua[.]xlsx": {
    path: "/kiem-tra/:examId/ket-qua.xlsx",
    params: { examId: "exam" },
    roles: ["centre_admin", "lecturer"],
    resource: true,
  },
  "lop.$id.chung-chi": {
    path: "/lop/:id/chung-chi",
    params: { id: "class" },
    roles: STAFF_READ,
    postRoles: ["centre_admin"],
    posts: ["issue", "reissue", "revoke"],
    form: { certificateId: "certificate" },
    fields: { issuedOn: "20/03/2026" },
  },
  "lop.$id.chung-chi[.]pdf": { path: "/lop/:id/chung-chi.pdf", params: { id: "class" }, roles: ["centre_admin"], resource: true },
  "lop.$id.diem-danh": {
    path: "/lop/:id/diem-danh",
    params: { id: "class" },
    roles: STAFF_READ,
    searchIds: { buoi: "optional" },
    postRoles: ["centre_admin", "lecturer", "proctor"],
    posts: ["mark", "scan"],
    form: { personId: "person" },
  },
  "lop.$id.diem-danh_.chieu": {
    path: "/lop/:id/diem-danh/chieu",
    params: { id: "class" },
    roles: ["centre_admin", "lecturer", "proctor"],
    searchIds: { buoi: "required" },
  },
  "lop.$id.giay-trieu-tap": {
    path: "/lop/:id/giay-trieu-tap",
    params: { id: "class" },
    roles: ["centre_admin"],
    posts: [""],
    fields: { decisionDate: "02/03/2026" },
  },
  "lop.$id.in-giay-trieu-tap": {
    path: "/lop/:id/in-giay-trieu-tap",
    params: { id: "class" },
    roles: ["centre_admin"],
    get: false,
    posts: [""],
    resource: true,
  },
  "lop.$id.ket-qua-hoc-tap": {
    path: "/lop/:id/ket-qua-hoc-tap",
    params: { id: "class" },
    roles: STAFF_READ,
    postRoles: ["centre_admin"],
    posts: ["compute", "conduct", "policy"],
    form: { personId: "person" },
  },
  "lop.$id.ket-qua-hoc-tap[.]xlsx": { path: "/lop/:id/ket-qua-hoc-tap.xlsx", params: { id: "class" }, roles: STAFF_READ, resource: true },
  "lop.$id.kiem-tra": {
    path: "/lop/:id/kiem-tra",
    params: { id: "class" },
    roles: ["centre_admin", "lecturer", "proctor"],
    postRoles: ["centre_admin"],
    posts: ["", "review-policy", "release"],
    form: { examId: "exam" },
    formIntents: ["review-policy", "release"],
    fields: { reviewPolicy: "score_only" },
  },
  "lop.$id.lich-hoc": { path: "/lop/:id/lich-hoc", params: { id: "class" }, roles: STAFF_READ, postRoles: ["centre_admin"], posts: [""] },
  "lop.$id.so-do-cho-ngoi": {
    path: "/lop/:id/so-do-cho-ngoi",
    params: { id: "class" },
    roles: ["centre_admin", "lecturer", "proctor"],
    searchIds: { "moi-hang": "optional" },
  },
  "lop.$id.tep.$file": {
    path: "/lop/:id/tep/:file",
    params: { id: "class", file: "file" },
    roles: ["centre_admin", "lecturer", "proctor"],
    resource: true,
  },
  "lop.$id.tien-do": { path: "/lop/:id/tien-do", params: { id: "class" }, roles: ["centre_admin", "lecturer"] },
  "lop.$id.van-ban": { path: "/lop/:id/van-ban", params: { id: "class" }, roles: STAFF_READ, postRoles: ["centre_admin"], posts: [""] },
  "lop.$id.van-ban_.tai": {
    path: "/lop/:id/van-ban/tai",
    params: { id: "class" },
    roles: ["centre_admin"],
    resource: true,
    searchIds: { "don-vi": "required" },
  },
  "lop.$id._index": { path: "/lop/:id", params: { id: "class" }, roles: STAFF_READ },
  "lop._index": { path: "/lop", roles: STAFF_READ },
  "ngan-hang.$bankId._index": {
    path: "/ngan-hang/:bankId",
    params: { bankId: "bank" },
    roles: ["lecturer", "committee"],
    searchIds: { bai: "optional" },
    posts: ["submit", "approve", "return"],
  },
  "ngan-hang.$bankId.anh.$hash": {
    path: "/ngan-hang/:bankId/anh/:hash",
    params: { bankId: "bank", hash: "media" },
    roles: ["lecturer", "committee"],
    resource: true,
  },
  "ngan-hang.$bankId.cau-hoi.$questionId": {
    path: "/ngan-hang/:bankId/cau-hoi/:questionId",
    params: { bankId: "bank", questionId: "question" },
    roles: ["lecturer", "committee"],
    posts: ["save", "save-submit", "approve", "return", "retire"],
  },
  "ngan-hang.$bankId.nhap": {
    path: "/ngan-hang/:bankId/nhap",
    params: { bankId: "bank" },
    roles: ["lecturer"],
    posts: ["preview", "commit"],
  },
  "ngan-hang.$bankId.xuat": {
    path: "/ngan-hang/:bankId/xuat",
    params: { bankId: "bank" },
    roles: ["lecturer", "committee"],
    resource: true,
    query: "?dinh-dang=gift",
  },
  "ngan-hang._index": { path: "/ngan-hang", roles: ["lecturer", "committee"] },
  "nhan-su.$id": { path: "/nhan-su/:id", params: { id: "person" }, roles: "viewer" },
  "nhan-su._index": {
    path: "/nhan-su",
    roles: ["centre_admin", "committee", "organisation_board", "unit_secretary"],
    searchIds: { "don-vi": "optional" },
  },
  "phat-trien-dang._index": {
    path: "/phat-trien-dang",
    roles: ["unit_secretary", "organisation_board", "committee"],
    searchIds: { "don-vi": "optional", nam: "optional" },
    postRoles: ["unit_secretary", "organisation_board"],
    posts: ["candidate", "files", "targets"],
    form: { unitId: "unit", personId: "person" },
  },
  "so-lop": { path: "/so-lop", roles: STAFF_READ },
  "tai-khoan.mau[.]xlsx": { path: "/tai-khoan/mau.xlsx", roles: ["centre_admin"], resource: true },
  // The units of an import are named in the file, each checked against the importer's scope
  // (tests/integration/trainee-import.test.ts); the form itself names no commune's object.
  "tai-khoan.nhap": { path: "/tai-khoan/nhap", roles: ["centre_admin"], posts: ["preview", "commit"] },
  "thi.$examId": { path: "/thi/:examId", params: { examId: "exam" }, roles: "viewer", posts: [""] },
  "thi.$examId_.xem-lai": { path: "/thi/:examId/xem-lai", params: { examId: "exam" }, roles: "viewer" },
  "thi._index": { path: "/thi", roles: "viewer" },
  "to-chuc": { path: "/to-chuc", roles: ["centre_admin", "committee", "organisation_board", "unit_secretary"] },
  "xac-minh.$code": { path: "/xac-minh/:code", params: { code: "code" }, roles: "public" },
  "xet-duyet._index": { path: "/xet-duyet", roles: ["organisation_board"], posts: ["decide"] },
  "xet-duyet.dieu-kien": {
    path: "/xet-duyet/dieu-kien",
    roles: ["organisation_board", "centre_admin", "committee"],
    postRoles: ["organisation_board"],
    posts: [""],
  },
};
