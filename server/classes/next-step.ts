import type { Role } from "../db/schema";
import { formatVnDate } from "../rules/dates";
import { formatCount } from "../rules/numbers";

/**
 * The life of a class (shared/domain.md §5) as an ordered list of stages, each with its
 * state, a one-line summary and the pages where it is done, and the rule that picks the
 * next step. Pure: the class home (`/lop/:id`) feeds it the counts read by
 * `home-service.ts` and shows what it returns. No database, no clock (today is a fact).
 */

export type StageKey =
  | "plan"
  | "nominations"
  | "opening"
  | "timetable"
  | "attendance"
  | "selfStudy"
  | "tests"
  | "results"
  | "certificates"
  | "documents"
  | "survey";

/**
 * done: nothing left to do; active: started, something left; todo: not started;
 * skipped: does not apply to this class (opened outside the plan, nobody passed…).
 */
export type StageState = "done" | "active" | "todo" | "skipped";

export const STATE_LABELS: Record<StageState, string> = {
  done: "Đã xong",
  active: "Đang thực hiện",
  todo: "Chưa làm",
  skipped: "Không áp dụng",
};

/** Everything the stages are computed from; counts for this class only. */
export interface ClassFacts {
  /** Vietnam calendar day, ISO. */
  today: string;
  startsOn: string | null;
  endsOn: string | null;
  trainees: number;
  planItem: { id: number; year: number; month: number; label: string; targetSize: number } | null;
  /** Nominations of the class's plan item (or placed in the class). */
  nominations: { pending: number; approvedUnplaced: number; placed: number; rejected: number };
  /** Label of the numbered decision to open the class (QĐ) and of the call-up letters (GTT), when printed. */
  decision: string | null;
  callUp: string | null;
  /** Sessions of the timetable; those dated today or before; those with at least one mark. */
  sessions: { total: number; periods: number; due: number; marked: number; firstDate: string | null };
  programmePeriods: number;
  /** Published lessons of the programme; trainees who completed all of them. */
  selfStudy: { lessons: number; finished: number };
  /** Official assessments of the class. */
  tests: { official: number; submitted: number; awaitingGrading: number; allClosed: boolean };
  /** Stored results; `stale` when marks, conduct or attempts changed after the last computation. */
  results: { computed: number; passed: number; pending: number; stale: boolean };
  certificates: { valid: number; awaiting: number };
  /** Sending units with a result (one notice each), notices numbered, the report numbered. */
  documents: { units: number; notices: number; report: boolean };
  /** Course surveys of the class. */
  survey: { id: number | null; count: number; responses: number; open: boolean };
}

export interface StagePage {
  to: string;
  label: string;
  /** The roles whose guard lets them open it (mirrors the route's requireRole). */
  roles: Role[];
}

export interface Stage {
  key: StageKey;
  title: string;
  state: StageState;
  summary: string;
  /** What to do when this is the next step (the call to action). */
  action: string;
  /** Who does it, for a viewer who cannot. */
  actor: string;
  pages: StagePage[];
  /** A stage that never holds the class up (self-study runs beside the sessions). */
  blocking: boolean;
}

const FIVE: Role[] = ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"];
const CENTRE: Role[] = ["centre_admin"];

const n = (x: number) => formatCount(x);

export function classLife(classId: number, f: ClassFacts): Stage[] {
  const base = `/lop/${classId}`;
  const started = !!f.startsOn && f.today >= f.startsOn;
  const hasResults = f.results.computed > 0;
  const stages: Stage[] = [];

  // 1. Plan.
  stages.push({
    key: "plan",
    title: "Kế hoạch",
    state: f.planItem ? "done" : "skipped",
    summary: f.planItem
      ? `${f.planItem.label} · tháng ${f.planItem.month}/${f.planItem.year} · dự kiến ${n(f.planItem.targetSize)} học viên`
      : "Lớp không gắn với kế hoạch bồi dưỡng.",
    action: "Xem kế hoạch bồi dưỡng",
    actor: "Cán bộ trung tâm",
    pages: [
      {
        to: `/ke-hoach?nam=${f.planItem?.year ?? (f.startsOn ?? f.today).slice(0, 4)}`,
        label: "Kế hoạch bồi dưỡng",
        roles: ["centre_admin", "organisation_board", "committee"],
      },
    ],
    blocking: true,
  });

  // 2. Nominations and verification: open until the class starts; afterwards what is left is the next class's.
  const nom = f.nominations;
  const anyNomination = nom.pending + nom.approvedUnplaced + nom.placed + nom.rejected > 0;
  let nomState: StageState;
  if (!f.planItem && !anyNomination) nomState = "skipped";
  else if (!started && (nom.pending > 0 || nom.approvedUnplaced > 0)) nomState = "active";
  else if (f.trainees === 0 && !anyNomination) nomState = "todo";
  else nomState = "done";
  const nomParts = [`${n(nom.placed)} người được xếp vào lớp`];
  if (nom.pending) nomParts.push(`${n(nom.pending)} chờ thẩm định`);
  if (nom.approvedUnplaced) nomParts.push(`${n(nom.approvedUnplaced)} đã duyệt chưa xếp lớp`);
  if (nom.rejected) nomParts.push(`${n(nom.rejected)} không duyệt`);
  stages.push({
    key: "nominations",
    title: "Đề cử và thẩm định",
    state: nomState,
    summary:
      nomState === "skipped"
        ? "Học viên được xếp thẳng vào lớp, không qua đề cử."
        : anyNomination
          ? `${nomParts.join(" · ")}.`
          : "Các chi bộ chưa gửi đề cử cho khóa học này.",
    action: nom.pending > 0 ? "Thẩm định các đề cử" : anyNomination ? "Xếp người đã duyệt vào lớp" : "Xem danh sách đề cử",
    actor: nom.pending > 0 ? "Ban Tổ chức" : anyNomination ? "Cán bộ trung tâm" : "Bí thư chi bộ",
    pages: [
      ...(nom.pending > 0 ? [{ to: "/xet-duyet", label: "Thẩm định đề cử", roles: ["organisation_board"] as Role[] }] : []),
      ...(f.planItem ? [{ to: `/ke-hoach/${f.planItem.id}/mo-lop`, label: "Xếp học viên vào lớp", roles: CENTRE }] : []),
    ],
    blocking: true,
  });

  // 3. Opening: trainees, the decision, the call-up letters. Once the class has begun,
  // letters never printed here were handed out otherwise: no longer a step to take.
  let openState: StageState;
  if (f.trainees === 0) openState = "todo";
  else if (f.decision && f.callUp) openState = "done";
  else openState = started ? "done" : "active";
  // After the start, papers missing here were made outside the system: say so, not "not yet".
  const missing = started ? "không in trên hệ thống" : "chưa in";
  const papers = [
    f.decision ? `quyết định số ${f.decision}` : `quyết định mở lớp ${missing}`,
    f.callUp ? "đã in giấy triệu tập" : `giấy triệu tập ${missing}`,
  ];
  stages.push({
    key: "opening",
    title: "Mở lớp, giấy triệu tập",
    state: openState,
    summary: f.trainees === 0 ? "Lớp chưa có học viên." : `${n(f.trainees)} học viên · ${papers.join(" · ")}.`,
    action: f.trainees === 0 ? "Xếp học viên vào lớp" : !f.decision ? "In quyết định mở lớp" : "In giấy triệu tập",
    actor: "Cán bộ trung tâm",
    pages: [
      ...(f.trainees === 0 && f.planItem
        ? [{ to: `/ke-hoach/${f.planItem.id}/mo-lop`, label: "Xếp học viên vào lớp", roles: CENTRE }]
        : []),
      { to: `${base}/giay-trieu-tap`, label: "Giấy triệu tập, hồ sơ mở lớp", roles: CENTRE },
      { to: `${base}/so-do-cho-ngoi`, label: "Sơ đồ chỗ ngồi", roles: ["centre_admin", "lecturer", "proctor"] },
    ],
    blocking: true,
  });

  // 4. Timetable: a saved timetable has passed its checks (a deviation carries its reason).
  const s = f.sessions;
  stages.push({
    key: "timetable",
    title: "Lịch học",
    state: s.total > 0 ? "done" : "todo",
    summary: s.total > 0 ? `${n(s.total)} buổi, ${n(s.periods)}/${n(f.programmePeriods)} tiết của chương trình.` : "Chưa xếp lịch học.",
    action: "Xếp lịch học",
    actor: "Cán bộ trung tâm",
    pages: [{ to: `${base}/lich-hoc`, label: "Lịch học", roles: FIVE }],
    blocking: true,
  });

  // 5. Attendance: every session marked; a session not yet held is not late.
  let attState: StageState;
  if (s.total === 0) attState = "todo";
  else if (s.marked >= s.total) attState = "done";
  else if (s.marked === 0 && s.due === 0) attState = "todo";
  else attState = "active";
  const attSummary =
    s.total === 0
      ? "Chưa có lịch học."
      : s.marked === 0 && s.due === 0 && s.firstDate
        ? `Buổi đầu tiên ngày ${formatVnDate(s.firstDate)}.`
        : `Đã điểm danh ${n(s.marked)}/${n(s.total)} buổi${s.due > s.marked ? ` · ${n(s.due - s.marked)} buổi đã học chưa điểm danh` : ""}.`;
  stages.push({
    key: "attendance",
    title: "Điểm danh",
    state: attState,
    summary: attSummary,
    action: "Điểm danh buổi học",
    actor: "Cán bộ trung tâm, giảng viên, giám thị",
    pages: [{ to: `${base}/diem-danh`, label: "Điểm danh", roles: FIVE }],
    blocking: true,
  });

  // 6. Self-study beside the sessions: shown, never the next step.
  const ss = f.selfStudy;
  stages.push({
    key: "selfStudy",
    title: "Tự học trực tuyến",
    state:
      f.trainees === 0 || ss.lessons === 0
        ? "skipped"
        : ss.finished >= f.trainees
          ? "done"
          : ss.finished > 0 || started
            ? "active"
            : "todo",
    summary:
      ss.lessons === 0
        ? "Chương trình chưa có bài giảng trực tuyến."
        : `${n(ss.finished)}/${n(f.trainees)} học viên đã học xong ${n(ss.lessons)} bài.`,
    action: "Xem tiến độ tự học",
    actor: "Cán bộ trung tâm, giảng viên",
    pages: [{ to: `${base}/tien-do`, label: "Tiến độ tự học", roles: ["centre_admin", "lecturer"] }],
    blocking: false,
  });

  // 7. Assessment: an official test, everyone's paper in (or the test closed), essays graded.
  const t = f.tests;
  let testState: StageState;
  if (t.official === 0) testState = "todo";
  else if (t.awaitingGrading > 0) testState = "active";
  else if (t.submitted >= f.trainees || t.allClosed) testState = "done";
  else testState = "active";
  const testParts =
    t.official === 0
      ? ["Chưa có bài kiểm tra cuối khóa."]
      : [`${n(t.official)} bài kiểm tra · ${n(t.submitted)}/${n(f.trainees)} học viên đã nộp bài`];
  if (t.awaitingGrading) testParts.push(`${n(t.awaitingGrading)} bài chờ chấm tự luận`);
  stages.push({
    key: "tests",
    title: "Kiểm tra cuối khóa",
    state: testState,
    summary: t.official === 0 ? testParts[0]! : `${testParts.join(" · ")}.`,
    action: t.official === 0 ? "Tạo bài kiểm tra" : t.awaitingGrading > 0 ? "Chấm bài tự luận" : "Theo dõi bài kiểm tra",
    actor: "Cán bộ trung tâm, giảng viên",
    pages: [{ to: `${base}/kiem-tra`, label: "Bài kiểm tra của lớp", roles: ["centre_admin", "lecturer", "proctor"] }],
    blocking: true,
  });

  // 8. Results: computed for every trainee, after the last change.
  const r = f.results;
  let resState: StageState;
  if (!hasResults) resState = "todo";
  else if (r.stale || r.computed < f.trainees) resState = "active";
  else resState = "done";
  const resParts = hasResults ? [`Đạt yêu cầu ${n(r.passed)}/${n(r.computed)}`] : [];
  if (r.pending) resParts.push(`${n(r.pending)} chưa có kết quả`);
  if (r.stale) resParts.push("có thay đổi sau lần tính gần nhất");
  stages.push({
    key: "results",
    title: "Kết quả học tập",
    state: resState,
    summary: hasResults ? `${resParts.join(" · ")}.` : "Chưa tính kết quả.",
    action: hasResults ? "Tính lại kết quả" : "Tính kết quả",
    actor: "Cán bộ trung tâm",
    pages: [{ to: `${base}/ket-qua-hoc-tap`, label: "Kết quả học tập", roles: FIVE }],
    blocking: true,
  });

  // 9. Certificates to everyone who passed.
  const c = f.certificates;
  stages.push({
    key: "certificates",
    title: "Giấy chứng nhận",
    state: !hasResults ? "todo" : c.awaiting > 0 ? (c.valid > 0 ? "active" : "todo") : r.passed === 0 && c.valid === 0 ? "skipped" : "done",
    summary: !hasResults
      ? "Cấp sau khi tính kết quả."
      : r.passed === 0 && c.valid === 0
        ? "Chưa có học viên đạt yêu cầu."
        : `Đã cấp ${n(c.valid)} giấy${c.awaiting ? ` · ${n(c.awaiting)} học viên đạt yêu cầu chưa có giấy` : ""}.`,
    action: "Cấp giấy chứng nhận",
    actor: "Cán bộ trung tâm",
    pages: [{ to: `${base}/chung-chi`, label: "Giấy chứng nhận", roles: FIVE }],
    blocking: true,
  });

  // 10. Notices to the sending units and the class report.
  const d = f.documents;
  const docsDone = d.report && d.notices >= d.units;
  stages.push({
    key: "documents",
    title: "Thông báo, báo cáo",
    state: !hasResults ? "todo" : docsDone ? "done" : d.report || d.notices > 0 ? "active" : "todo",
    summary: !hasResults
      ? "Lập sau khi tính kết quả."
      : `Thông báo kết quả ${n(d.notices)}/${n(d.units)} đơn vị · ${d.report ? "đã lập báo cáo" : "chưa lập báo cáo"}.`,
    action: "Lập thông báo và báo cáo",
    actor: "Cán bộ trung tâm",
    pages: [{ to: `${base}/van-ban`, label: "Thông báo, báo cáo", roles: FIVE }],
    blocking: true,
  });

  // 11. Feedback: the course survey.
  const sv = f.survey;
  stages.push({
    key: "survey",
    title: "Khảo sát cuối khóa",
    state: sv.count === 0 ? "todo" : sv.open ? "active" : "done",
    summary:
      sv.count === 0
        ? "Chưa có phiếu khảo sát của lớp."
        : `${n(sv.responses)} phiếu đã gửi${sv.open ? " · đang nhận phiếu" : " · đã đóng"}.`,
    action: sv.count === 0 ? "Tạo phiếu khảo sát" : "Xem kết quả khảo sát",
    actor: "Cán bộ trung tâm",
    pages: [
      sv.id
        ? {
            to: `/khao-sat/${sv.id}/ket-qua`,
            label: "Kết quả khảo sát",
            roles: ["centre_admin", "lecturer", "committee", "organisation_board"],
          }
        : { to: "/khao-sat", label: "Khảo sát", roles: CENTRE },
    ],
    blocking: true,
  });

  return stages;
}

/** The next step: the first stage that holds the class up and is not done. Null when all are. */
export function nextStep(stages: readonly Stage[]): Stage | null {
  return stages.find((s) => s.blocking && (s.state === "todo" || s.state === "active")) ?? null;
}

/** The pages of a stage that a viewer holding these roles on the class may open (admin: all). */
export function pagesFor(stage: Stage, roles: readonly Role[]): StagePage[] {
  if (roles.includes("admin")) return stage.pages;
  return stage.pages.filter((p) => p.roles.some((r) => roles.includes(r)));
}
