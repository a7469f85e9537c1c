import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { demoServices, loginAs, TEST_DB, type TestDatabase } from "./harness";
import type { Services } from "../../server/services";

const CLASS_NAME = "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026";

describe(`class home (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  let classId: number;
  // The demo's marks and attempts are stamped with the real time of seeding: the clock runs after it.
  const clock = manualClock(new Date(Date.now() + 3_600_000));

  beforeAll(async () => {
    ({ t, s } = await demoServices(clock));
    classId = (await t.db.selectFrom("training_class").select("id").where("name", "=", CLASS_NAME).executeTakeFirstOrThrow()).id;
  }, 240_000);
  afterAll(() => t.destroy());

  it("reads the demo class's life from the records: plan, trainees, timetable, marks, test, results, certificates", async () => {
    const staff = (await loginAs(s, "canbo.tanlap")).viewer;
    const o = await s.classHome.overview(staff, classId);
    expect(o.klass).toMatchObject({ id: classId, name: CLASS_NAME, programmeCode: "hd61", startsOn: "2026-03-09", endsOn: "2026-03-13" });
    expect(o.klass.trainees).toBeGreaterThanOrEqual(6);
    const by = Object.fromEntries(o.stages.map((x) => [x.key, x]));
    expect(by.plan!.state).toBe("done");
    expect(by.plan!.summary).toContain("tháng 3/2026");
    expect(by.timetable!.summary).toMatch(/^10 buổi, 50\/50 tiết/);
    expect(by.attendance!.state).toBe("done");
    expect(by.tests!.summary).toMatch(/bài kiểm tra/);
    expect(by.results!.summary).toMatch(/^Đạt yêu cầu \d+\/\d+/);
    // The demo issued its certificates on 20/03/2026.
    expect(by.certificates!.summary).toMatch(/^Đã cấp [1-9]\d* giấy/);
    expect(o.roles).toEqual(["centre_admin"]);
    // The next step is a blocking stage that is not done, or none.
    if (o.next) expect(["todo", "active"]).toContain(by[o.next]!.state);
  });

  it("a computation older than a later mark is stale: results become the step to redo", async () => {
    const staff = (await loginAs(s, "canbo.tanlap")).viewer;
    await s.classRecords.computeResults(staff, classId);
    let o = await s.classHome.overview(staff, classId);
    expect(o.stages.find((x) => x.key === "results")!.summary).not.toContain("có thay đổi");
    clock.advance(60_000);
    const session = await t.db
      .selectFrom("class_session")
      .select("id")
      .where("class_id", "=", classId)
      .orderBy("seq")
      .executeTakeFirstOrThrow();
    const person = await t.db.selectFrom("class_enrolment").select("person_id").where("class_id", "=", classId).executeTakeFirstOrThrow();
    await s.classRecords.markAttendance(staff, { sessionId: session.id, personId: person.person_id, status: "co_mat" });
    o = await s.classHome.overview(staff, classId);
    const results = o.stages.find((x) => x.key === "results")!;
    expect(results.state).toBe("active");
    expect(results.summary).toContain("có thay đổi sau lần tính gần nhất");
  });

  it("the five read it within their scope; the other commune and the others are refused", async () => {
    for (const u of ["giangvien", "giamthi", "bantochuc", "bantuyengiao", "admin"]) {
      const o = await s.classHome.overview((await loginAs(s, u)).viewer, classId);
      expect(o.klass.id, u).toBe(classId);
    }
    expect((await s.classHome.overview((await loginAs(s, "giangvien")).viewer, classId)).roles).toEqual(["lecturer"]);
    expect((await s.classHome.overview((await loginAs(s, "admin")).viewer, classId)).roles).toEqual(["admin"]);
    for (const u of ["canbo.binhminh", "bithu", "hocvien"])
      await expect(s.classHome.overview((await loginAs(s, u)).viewer, classId), u).rejects.toThrow(
        "Lớp này không thuộc phạm vi phụ trách của bạn.",
      );
    await expect(s.classHome.overview((await loginAs(s, "admin")).viewer, 99_999)).rejects.toThrow("Không có lớp này.");
  });
});
