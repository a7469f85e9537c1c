import ExcelJS from "exceljs";
import { sql } from "kysely";
import type { Database } from "../../db";
import type { Clock } from "../../clock";
import type { Viewer } from "../../auth/scope";
import { canReach } from "../../auth/scope";
import { audit } from "../../audit/log";
import { classify, formatScore, OUTCOME_LABELS } from "../classification";
import type { ResultLine } from "../official-documents";
import { ORGANISERS, READERS, type RecordsContext } from "./context";
import { requireClass, type Klass } from "./scope";
import { settings } from "./settings";
import { attendanceSummaries, trainees } from "./trainees";

/** Final results: computed from attendance, conduct and the assessment; listed and exported. */

/** Each trainee's best final score on the class's official assessments, attempts, and whether an essay is pending. */
export async function examFacts(db: Database, classId: number) {
  const rows = await db
    .selectFrom("attempt as a")
    .innerJoin("exam as e", "e.id", "a.exam_id")
    .select(["a.person_id", "a.status", "a.score"])
    .where("e.class_id", "=", classId)
    .where("e.kind", "=", "official")
    .where("a.status", "in", ["submitted", "awaiting_grading"])
    .execute();
  const by = new Map<number, { best: number | null; attempts: number; pending: boolean }>();
  for (const r of rows) {
    const f = by.get(r.person_id) ?? { best: null, attempts: 0, pending: false };
    f.attempts++;
    if (r.status === "awaiting_grading") f.pending = true;
    else if (r.score !== null) f.best = Math.max(f.best ?? 0, Number(r.score));
    by.set(r.person_id, f);
  }
  return by;
}

/** Classifies every trainee and stores the results (one transaction); `actor` null: a seed or a recompute without audit. */
export async function computeAndStore(db: Database, clock: Clock, k: Klass, actor: Viewer | null) {
  const { policy } = await settings(db, k.id);
  const [att, exams, breaches] = await Promise.all([
    attendanceSummaries(db, clock, k, policy),
    examFacts(db, k.id),
    db.selectFrom("conduct_record").select("person_id").where("class_id", "=", k.id).where("severity", "=", "serious").execute(),
  ]);
  const serious = new Set(breaches.map((b) => b.person_id));
  const now = clock.now();
  const rows = att.people.map((p) => {
    const a = att.summaries.get(p.id)!;
    const e = exams.get(p.id) ?? { best: null, attempts: 0, pending: false };
    const c = classify(
      { score: e.best, attempts: e.attempts, pendingGrading: e.pending, maySit: a.maySit, seriousBreach: serious.has(p.id) },
      policy,
    );
    return { person: p, attendance: a, c, attempts: e.attempts, serious: serious.has(p.id) };
  });
  await db.transaction().execute(async (trx) => {
    for (const r of rows) {
      const values = {
        score: r.c.score,
        band: r.c.band,
        passed: r.c.passed,
        fail_reason: r.c.failReason,
        computed_at: now,
        absent_periods: r.attendance.absentPeriods,
        may_sit: r.attendance.maySit,
        serious_breach: r.serious,
        attempts: r.attempts,
        outcome: r.c.outcome,
      };
      await trx
        .insertInto("class_result")
        .values({ class_id: k.id, person_id: r.person.id, ...values })
        .onConflict((oc) => oc.columns(["class_id", "person_id"]).doUpdateSet(values))
        .execute();
    }
    if (actor)
      await audit(trx, {
        actorId: actor.userId,
        action: "class_results.compute",
        entityType: "training_class",
        entityId: k.id,
        orgUnitId: k.centre_unit_id,
        details: { trainees: rows.length },
      });
  });
  return rows;
}

/** The class's result lines as the pages and documents show them, sorted the Vietnamese way. */
export async function resultLines(db: Database, k: Klass): Promise<(ResultLine & { personId: number; unitId: number })[]> {
  const [people, results, certs] = await Promise.all([
    trainees(db, k.id),
    db.selectFrom("class_result").selectAll().where("class_id", "=", k.id).execute(),
    db.selectFrom("certificate").select(["person_id", "number_label"]).where("class_id", "=", k.id).where("status", "=", "valid").execute(),
  ]);
  const { policy } = await settings(db, k.id);
  const byPerson = new Map(results.map((r) => [r.person_id, r]));
  const certBy = new Map(certs.map((c) => [c.person_id, c.number_label]));
  return people.map((p) => {
    const r = byPerson.get(p.id);
    return {
      personId: p.id,
      unitId: p.unit_id,
      fullName: p.full_name,
      // Passed as stored: the documents flag a bad or blank one in its cell and name it (issue 14).
      birthDate: p.birth_date,
      unitName: p.unit_name,
      score: r?.score === null || r?.score === undefined ? null : Number(r.score),
      bandLabel: r?.band ? (policy.bands.find((b) => b.code === r.band)?.label ?? r.band) : null,
      // A row written without an outcome (e.g. imported results) falls back to the contract's `passed`.
      outcome: r ? (r.outcome !== "pending" ? r.outcome : r.passed ? "passed" : "pending") : "pending",
      failReason: r ? r.fail_reason : "Chưa tính kết quả.",
      certificateNumber: certBy.get(p.id) ?? null,
      absentPeriods: r?.absent_periods ?? 0,
    };
  });
}

export function resultMethods(ctx: RecordsContext) {
  const { db, clock, figures } = ctx;
  return {
    async computeResults(viewer: Viewer, classId: number) {
      const k = await requireClass(db, viewer, classId, ORGANISERS, true);
      const rows = await computeAndStore(db, clock, k, viewer);
      await figures?.classChanged(k.id);
      return rows.length;
    },

    async results(viewer: Viewer, classId: number) {
      const k = await requireClass(db, viewer, classId, READERS);
      const { policy } = await settings(db, classId);
      const lines = await resultLines(db, k);
      const computed = await db
        .selectFrom("class_result")
        .select(sql<Date>`max(computed_at)`.as("at"))
        .where("class_id", "=", classId)
        .executeTakeFirst();
      return {
        klass: { id: k.id, name: k.name, programmeName: k.programme_name },
        policy,
        computedAt: computed?.at ?? null,
        canEdit: canReach(viewer, ORGANISERS, k.path, { write: true }),
        lines: lines.map((l) => ({
          ...l,
          outcomeLabel: OUTCOME_LABELS[l.outcome],
          scoreText: l.score === null ? "" : formatScore(l.score),
        })),
      };
    },

    /** The results list as a spreadsheet (sorted the Vietnamese way). */
    async resultsXlsx(viewer: Viewer, classId: number) {
      const k = await requireClass(db, viewer, classId, READERS);
      const lines = await resultLines(db, k);
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("Kết quả học tập");
      ws.columns = [
        { header: "TT", key: "tt", width: 5 },
        { header: "Họ và tên", key: "name", width: 28 },
        { header: "Ngày sinh", key: "birth", width: 12 },
        { header: "Đơn vị cử đi học", key: "unit", width: 32 },
        { header: "Số tiết vắng", key: "absent", width: 12 },
        { header: "Điểm", key: "score", width: 8 },
        { header: "Xếp loại", key: "band", width: 12 },
        { header: "Kết quả", key: "outcome", width: 20 },
        { header: "Lý do", key: "reason", width: 50 },
        { header: "Số GCN", key: "cert", width: 16 },
      ];
      ws.getRow(1).font = { bold: true };
      lines.forEach((l, i) =>
        ws.addRow({
          tt: i + 1,
          name: l.fullName,
          birth: l.birthDate ? l.birthDate.split("-").reverse().join("/") : "",
          unit: l.unitName,
          absent: l.absentPeriods,
          score: l.score,
          band: l.bandLabel ?? "",
          outcome: OUTCOME_LABELS[l.outcome],
          reason: l.outcome === "passed" ? "" : (l.failReason ?? ""),
          cert: l.certificateNumber ?? "",
        }),
      );
      return { bytes: new Uint8Array(await wb.xlsx.writeBuffer()), fileName: `ket-qua-hoc-tap-lop-${k.id}.xlsx` };
    },
  };
}
