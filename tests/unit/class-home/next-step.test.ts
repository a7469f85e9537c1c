import { describe, expect, it } from "vitest";
import { classLife, nextStep, pagesFor, type ClassFacts, type StageKey } from "../../../server/classes/next-step";
import { programmeLabel } from "../../../server/classes/programme-label";

/** A class opened from the plan, five days from 09/03/2026, with six trainees; nothing done after opening. */
function facts(patch: Partial<ClassFacts> = {}): ClassFacts {
  return {
    today: "2026-03-01",
    startsOn: "2026-03-09",
    endsOn: "2026-03-13",
    trainees: 6,
    planItem: { id: 4, year: 2026, month: 3, label: "Khóa 1 năm 2026", targetSize: 100 },
    nominations: { pending: 0, approvedUnplaced: 0, placed: 6, rejected: 1 },
    decision: "01-QĐ/TTCT",
    callUp: "02-GTT/TTCT",
    sessions: { total: 0, periods: 0, due: 0, marked: 0, firstDate: null },
    programmePeriods: 50,
    selfStudy: { lessons: 5, finished: 0 },
    tests: { official: 0, submitted: 0, awaitingGrading: 0, allClosed: false },
    results: { computed: 0, passed: 0, pending: 0, stale: false },
    certificates: { valid: 0, awaiting: 0 },
    documents: { units: 2, notices: 0, report: false },
    survey: { id: null, count: 0, responses: 0, open: false },
    ...patch,
  };
}
const next = (f: ClassFacts) => nextStep(classLife(7, f))?.key ?? null;
const stateOf = (f: ClassFacts, key: StageKey) => classLife(7, f).find((s) => s.key === key)!.state;

/** Every stage done: the class that ran and was closed. */
const finished = facts({
  today: "2026-04-01",
  sessions: { total: 10, periods: 50, due: 10, marked: 10, firstDate: "2026-03-09" },
  selfStudy: { lessons: 5, finished: 6 },
  tests: { official: 1, submitted: 6, awaitingGrading: 0, allClosed: true },
  results: { computed: 6, passed: 4, pending: 0, stale: false },
  certificates: { valid: 4, awaiting: 0 },
  documents: { units: 2, notices: 2, report: true },
  survey: { id: 3, count: 1, responses: 5, open: false },
});

describe("the life of a class", () => {
  it("lists the stages in the order of the domain (plan → feedback)", () => {
    expect(classLife(7, facts()).map((s) => s.key)).toEqual([
      "plan",
      "nominations",
      "opening",
      "timetable",
      "attendance",
      "selfStudy",
      "tests",
      "results",
      "certificates",
      "documents",
      "survey",
    ]);
  });

  it("a class just opened: the next step is its timetable", () => {
    expect(next(facts())).toBe("timetable");
    const t = classLife(7, facts()).find((s) => s.key === "timetable")!;
    expect(t).toMatchObject({ state: "todo", summary: "Chưa xếp lịch học.", action: "Xếp lịch học" });
    expect(t.pages[0]!.to).toBe("/lop/7/lich-hoc");
  });

  it("an empty class waits for its trainees; pending nominations go to the board first", () => {
    const empty = facts({
      trainees: 0,
      decision: null,
      callUp: null,
      nominations: { pending: 3, approvedUnplaced: 0, placed: 0, rejected: 0 },
    });
    expect(next(empty)).toBe("nominations");
    const nom = classLife(7, empty).find((s) => s.key === "nominations")!;
    expect(nom.summary).toBe("0 người được xếp vào lớp · 3 chờ thẩm định.");
    expect(nom.pages.map((p) => p.to)).toEqual(["/xet-duyet", "/ke-hoach/4/mo-lop"]);
    expect(next({ ...empty, nominations: { pending: 0, approvedUnplaced: 2, placed: 0, rejected: 0 } })).toBe("nominations");
    // Nothing nominated yet: the units' turn.
    const waiting = { ...empty, nominations: { pending: 0, approvedUnplaced: 0, placed: 0, rejected: 0 } };
    expect(next(waiting)).toBe("nominations");
    expect(classLife(7, waiting).find((s) => s.key === "nominations")!).toMatchObject({
      state: "todo",
      summary: "Các chi bộ chưa gửi đề cử cho khóa học này.",
    });
    // Everyone placed but the papers: opening.
    expect(next({ ...empty, trainees: 6, nominations: { pending: 0, approvedUnplaced: 0, placed: 6, rejected: 0 } })).toBe("opening");
  });

  it("pending nominations no longer hold up a class that has begun", () => {
    const running = facts({ today: "2026-03-10", nominations: { pending: 2, approvedUnplaced: 1, placed: 6, rejected: 0 } });
    expect(stateOf(running, "nominations")).toBe("done");
  });

  it("papers not printed: the next step before the class starts, not after", () => {
    expect(next(facts({ callUp: null }))).toBe("opening");
    expect(classLife(7, facts({ decision: null, callUp: null })).find((s) => s.key === "opening")!.action).toBe("In quyết định mở lớp");
    expect(classLife(7, facts({ callUp: null })).find((s) => s.key === "opening")!.summary).toBe(
      "6 học viên · quyết định số 01-QĐ/TTCT · giấy triệu tập chưa in.",
    );
    const begun = facts({ callUp: null, today: "2026-03-09" });
    expect(stateOf(begun, "opening")).toBe("done");
    expect(classLife(7, begun).find((s) => s.key === "opening")!.summary).toBe(
      "6 học viên · quyết định số 01-QĐ/TTCT · giấy triệu tập không in trên hệ thống.",
    );
  });

  it("a class outside the plan skips the plan and the nominations", () => {
    const f = facts({ planItem: null, nominations: { pending: 0, approvedUnplaced: 0, placed: 0, rejected: 0 } });
    expect(stateOf(f, "plan")).toBe("skipped");
    expect(stateOf(f, "nominations")).toBe("skipped");
    expect(next(f)).toBe("timetable");
  });

  it("attendance: a session held and not marked is the next step; sessions to come are not late", () => {
    const sessions = { total: 10, periods: 50, due: 0, marked: 0, firstDate: "2026-03-09" };
    const before = facts({ sessions });
    expect(stateOf(before, "attendance")).toBe("todo");
    expect(classLife(7, before).find((s) => s.key === "attendance")!.summary).toBe("Buổi đầu tiên ngày 09/03/2026.");
    const during = facts({ today: "2026-03-10", sessions: { ...sessions, due: 4, marked: 3 } });
    expect(next(during)).toBe("attendance");
    expect(classLife(7, during).find((s) => s.key === "attendance")!.summary).toBe(
      "Đã điểm danh 3/10 buổi · 1 buổi đã học chưa điểm danh.",
    );
  });

  it("self-study is shown but never the next step", () => {
    const f = { ...finished, selfStudy: { lessons: 5, finished: 2 } };
    expect(stateOf(f, "selfStudy")).toBe("active");
    expect(next(f)).toBe(null);
  });

  it("tests: none yet, essays to grade, papers missing while the test is open", () => {
    const taught = {
      ...finished,
      tests: { official: 0, submitted: 0, awaitingGrading: 0, allClosed: false },
      results: { computed: 0, passed: 0, pending: 0, stale: false },
    };
    expect(next(taught)).toBe("tests");
    expect(classLife(7, taught).find((s) => s.key === "tests")!.action).toBe("Tạo bài kiểm tra");
    const grading = { ...taught, tests: { official: 1, submitted: 6, awaitingGrading: 2, allClosed: true } };
    expect(next(grading)).toBe("tests");
    expect(classLife(7, grading).find((s) => s.key === "tests")!.action).toBe("Chấm bài tự luận");
    expect(stateOf({ ...taught, tests: { official: 1, submitted: 4, awaitingGrading: 0, allClosed: false } }, "tests")).toBe("active");
    // The test closed with two absent: nothing more to wait for.
    expect(stateOf({ ...taught, tests: { official: 1, submitted: 4, awaitingGrading: 0, allClosed: true } }, "tests")).toBe("done");
  });

  it("results computed before a later change must be computed again", () => {
    const stale = { ...finished, results: { ...finished.results, stale: true } };
    expect(next(stale)).toBe("results");
    const r = classLife(7, stale).find((s) => s.key === "results")!;
    expect(r.summary).toBe("Đạt yêu cầu 4/6 · có thay đổi sau lần tính gần nhất.");
    expect(r.action).toBe("Tính lại kết quả");
    expect(next({ ...finished, results: { ...finished.results, computed: 5 } })).toBe("results");
  });

  it("certificates: awaiting holders are the next step; nobody passed skips them", () => {
    const f = { ...finished, certificates: { valid: 0, awaiting: 4 }, documents: { units: 2, notices: 0, report: false } };
    expect(next(f)).toBe("certificates");
    expect(classLife(7, f).find((s) => s.key === "certificates")!.summary).toBe("Đã cấp 0 giấy · 4 học viên đạt yêu cầu chưa có giấy.");
    const none = { ...f, results: { computed: 6, passed: 0, pending: 0, stale: false }, certificates: { valid: 0, awaiting: 0 } };
    expect(stateOf(none, "certificates")).toBe("skipped");
    expect(next(none)).toBe("documents");
  });

  it("documents: a notice per sending unit and the report", () => {
    const f = { ...finished, documents: { units: 2, notices: 1, report: true } };
    expect(next(f)).toBe("documents");
    expect(classLife(7, f).find((s) => s.key === "documents")!.summary).toBe("Thông báo kết quả 1/2 đơn vị · đã lập báo cáo.");
  });

  it("the survey closes the life; an open survey is still the next step", () => {
    expect(next({ ...finished, survey: { id: null, count: 0, responses: 0, open: false } })).toBe("survey");
    expect(next({ ...finished, survey: { id: 3, count: 1, responses: 2, open: true } })).toBe("survey");
    expect(next(finished)).toBe(null);
  });

  it("the next step is the FIRST stage not done, even when later ones have moved on", () => {
    // Results were computed while a held session was never marked.
    const f = { ...finished, sessions: { total: 10, periods: 50, due: 10, marked: 9, firstDate: "2026-03-09" } };
    expect(next(f)).toBe("attendance");
  });
});

describe("the pages a viewer may open", () => {
  const stages = classLife(
    7,
    facts({ trainees: 0, decision: null, callUp: null, nominations: { pending: 1, approvedUnplaced: 0, placed: 0, rejected: 0 } }),
  );
  const opening = stages.find((s) => s.key === "opening")!;
  it("follows each route's guard", () => {
    expect(pagesFor(opening, ["centre_admin"]).map((p) => p.to)).toEqual([
      "/ke-hoach/4/mo-lop",
      "/lop/7/giay-trieu-tap",
      "/lop/7/so-do-cho-ngoi",
    ]);
    expect(pagesFor(opening, ["lecturer"]).map((p) => p.to)).toEqual(["/lop/7/so-do-cho-ngoi"]);
    expect(pagesFor(opening, ["committee"])).toEqual([]);
    expect(
      pagesFor(
        stages.find((s) => s.key === "nominations")!,
        ["organisation_board"],
      ).map((p) => p.to),
    ).toEqual(["/xet-duyet"]);
    expect(
      pagesFor(
        stages.find((s) => s.key === "selfStudy")!,
        ["proctor"],
      ),
    ).toEqual([]);
  });
  it("admin opens every page", () => {
    expect(pagesFor(opening, ["admin"])).toEqual(opening.pages);
  });
});

describe("programme labels", () => {
  it("reads as in the guidance documents", () => {
    expect(programmeLabel("hd61")).toBe("HD 61");
    expect(programmeLabel("HD59")).toBe("HD 59");
    expect(programmeLabel("khac")).toBe("KHAC");
  });
});
