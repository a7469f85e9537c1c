import type { Viewer } from "../../auth/scope";
import { canReach } from "../../auth/scope";
import { audit } from "../../audit/log";
import { checkTimetable, defaultTimetable, topicOptions, type TimetableRow } from "../timetable";
import { ORGANISERS, READERS, today, type Problems, type RecordsContext } from "./context";
import { requireClass } from "./scope";
import { outline, settings, upsertSetting } from "./settings";
import { sessionsOf } from "./trainees";

/** The class's timetable: checked against the programme, saved with a reason when it deviates. */
export function timetableMethods(ctx: RecordsContext) {
  const { db, clock } = ctx;
  return {
    async timetable(viewer: Viewer, classId: number) {
      const k = await requireClass(db, viewer, classId, READERS);
      const [o, sessions, s] = await Promise.all([outline(db, k), sessionsOf(db, classId), settings(db, classId)]);
      const rows: TimetableRow[] = sessions.map((x) => ({
        onDate: x.on_date,
        part: x.part,
        topic: x.topic,
        periods: x.periods,
        lecturerName: x.lecturer_name,
      }));
      return {
        klass: { id: k.id, name: k.name, programmeName: k.programme_name, startsOn: k.starts_on, endsOn: k.ends_on },
        sessions,
        options: topicOptions(o),
        outline: o,
        check: checkTimetable(rows, o),
        reason: s.timetableReason,
        suggestion: defaultTimetable(o, k.starts_on ?? today(clock)),
        canEdit: canReach(viewer, ORGANISERS, k.path, { write: true }),
      };
    },

    /**
     * Replaces the timetable. Rows that cannot be saved are refused; a timetable that does
     * not add up to the programme needs a reason. Sessions that already have attendance
     * keep their id (they are updated in place by number), so marks are never lost.
     */
    async saveTimetable(
      viewer: Viewer,
      classId: number,
      rows: TimetableRow[],
      reason: string | null,
    ): Promise<{ ok: true; deviations: string[] } | Problems> {
      const k = await requireClass(db, viewer, classId, ORGANISERS, true);
      const o = await outline(db, k);
      const check = checkTimetable(rows, o);
      if (check.errors.length) return { ok: false, problems: check.errors };
      const why = reason?.trim() || null;
      if (check.deviations.length && !why)
        return { ok: false, problems: [...check.deviations, "Lịch học khác chương trình: hãy ghi lý do điều chỉnh."] };
      const titles = new Map(topicOptions(o).map((t) => [t.topic, t.title]));
      const existing = await sessionsOf(db, classId);
      const dropped = existing.filter((s) => s.seq > rows.length).map((s) => s.id);
      if (dropped.length) {
        const used = await db.selectFrom("attendance").select("session_id").where("session_id", "in", dropped).limit(1).execute();
        if (used.length)
          return { ok: false, problems: ["Không thể bỏ bớt buổi học đã có điểm danh. Hãy giữ nguyên số buổi hoặc sửa nội dung buổi đó."] };
      }
      await db.transaction().execute(async (trx) => {
        if (dropped.length) await trx.deleteFrom("class_session").where("id", "in", dropped).execute();
        for (const [i, r] of rows.entries()) {
          const values = {
            on_date: r.onDate,
            part: r.part,
            topic: r.topic,
            title: titles.get(r.topic)!,
            periods: r.periods,
            lecturer_name: r.lecturerName?.trim() || null,
          };
          await trx
            .insertInto("class_session")
            .values({ class_id: classId, seq: i + 1, ...values })
            .onConflict((oc) => oc.columns(["class_id", "seq"]).doUpdateSet(values))
            .execute();
        }
        await upsertSetting(trx, clock, classId, viewer, { timetable_reason: check.deviations.length ? why : null });
        await audit(trx, {
          actorId: viewer.userId,
          action: "timetable.save",
          entityType: "training_class",
          entityId: classId,
          orgUnitId: k.centre_unit_id,
          reason: why,
          details: { sessions: rows.length, deviations: check.deviations },
        });
      });
      return { ok: true, deviations: check.deviations };
    },
  };
}
