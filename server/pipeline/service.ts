import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ServiceDeps } from "../service-deps";
import type { Role } from "../db/schema";
import { canReach, hasRole, type Viewer } from "../auth/scope";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { audit } from "../audit/log";
import { parseVnDate, vnDay } from "../rules/dates";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import { MEASURES, actuals, alertsFor, pathOf, type Measure, type PipelinePerson } from "./rules";

/** The cell and the boards above it read the pipeline; the cell (its secretary) writes it. */
const READERS: Role[] = ["unit_secretary", "organisation_board", "committee"];
const WRITERS: Role[] = ["unit_secretary", "organisation_board"];
export const UNGROUPED = "Chưa phân nhóm";

/**
 * The party-development pipeline of a cell or grassroots committee (issue #8): the
 * annual plan per quarter and group, each person's path from the records other
 * capabilities keep (certificates, enrolments, party status) and alerts by date.
 */
export function createPipelineService(deps: ServiceDeps) {
  const { db, clock } = deps;

  async function unitFor(viewer: Viewer, unitId: number | undefined, write = false) {
    const id =
      unitId ??
      viewer.roles.find((g) => g.role === "unit_secretary")?.orgUnitId ??
      viewer.roles.find((g) => READERS.includes(g.role) || g.role === "admin")?.orgUnitId;
    if (!id) throw new Forbidden("Trang này dành cho bí thư chi bộ và Ban Tổ chức.");
    const unit = await db.selectFrom("org_unit").select(["id", "name", "path", "kind"]).where("id", "=", id).executeTakeFirst();
    if (!unit) throw new NotFound("Không có đơn vị này.");
    if (!canReach(viewer, write ? WRITERS : READERS, unit.path, { write })) throw new Forbidden("Đơn vị này ngoài phạm vi của bạn.");
    return unit;
  }

  async function people(unit: { id: number; path: string }, year: number): Promise<PipelinePerson[]> {
    const since = `${year - 2}-01-01`;
    const rows = await db
      .selectFrom("person as p")
      .innerJoin("org_unit as o", "o.id", "p.org_unit_id")
      .leftJoin("party_dev_candidate as c", "c.person_id", "p.id")
      .select([
        "p.id",
        "p.full_name",
        "p.party_status",
        "p.admission_date",
        "p.full_member_date",
        "c.group_label",
        "c.nominated_on",
        "c.files_done_on",
      ])
      .where("o.path", "like", `${unit.path}%`)
      .where((eb) =>
        eb.or([
          eb("c.id", "is not", null),
          eb("p.party_status", "=", "du_bi"),
          eb("p.full_member_date", ">=", since),
          eb("p.admission_date", ">=", since),
        ]),
      )
      .execute();
    const ids = rows.map((r) => r.id);
    const certs = ids.length
      ? await db
          .selectFrom("certificate")
          .select(["person_id", "programme_code", "issued_on"])
          .where("person_id", "in", ids)
          .where("status", "=", "valid")
          .where("programme_code", "in", ["hd61", "hd60"])
          .execute()
      : [];
    const sent = ids.length
      ? await db
          .selectFrom("class_enrolment as e")
          .innerJoin("training_class as k", "k.id", "e.class_id")
          .select(["e.person_id", "k.starts_on"])
          .where("e.person_id", "in", ids)
          .where("k.programme_code", "=", "hd61")
          .execute()
      : [];
    const certOf = (pid: number, code: string) => certs.find((c) => c.person_id === pid && c.programme_code === code)?.issued_on ?? null;
    const sentOf = (pid: number) =>
      sent
        .filter((s) => s.person_id === pid && s.starts_on)
        .map((s) => s.starts_on!)
        .sort()[0] ?? null;
    return sortByVietnameseName(
      rows.map((r) => ({
        personId: r.id,
        name: r.full_name,
        group: r.group_label ?? UNGROUPED,
        nominatedOn: r.nominated_on,
        sentHd61On: sentOf(r.id),
        hd61On: certOf(r.id, "hd61"),
        filesDoneOn: r.files_done_on,
        admittedOn: r.admission_date,
        hd60On: certOf(r.id, "hd60"),
        fullOn: r.full_member_date,
      })),
      (p) => p.name,
    );
  }

  return {
    async overview(viewer: Viewer, opts: { unitId?: number; year?: number } = {}) {
      const unit = await unitFor(viewer, opts.unitId);
      const today = vnDay(clock.now());
      const year = opts.year ?? Number(today.slice(0, 4));
      const list = await people(unit, year);
      const targets = await db.selectFrom("party_dev_target").selectAll().where("unit_id", "=", unit.id).where("year", "=", year).execute();
      const done = actuals(list, year);
      const groups = [...new Set([...targets.map((t) => t.group_label), ...done.keys()])].sort((a, b) =>
        a === UNGROUPED ? 1 : b === UNGROUPED ? -1 : a.localeCompare(b, "vi"),
      );
      const plan = groups.map((group) => ({
        group,
        measures: MEASURES.map((m) => {
          const planned = [1, 2, 3, 4].map((q) => targets.find((t) => t.group_label === group && t.quarter === q)?.[m.key] ?? 0);
          const actual = done.get(group)?.[m.key] ?? [0, 0, 0, 0];
          return {
            key: m.key,
            label: m.label,
            planned,
            actual,
            plannedTotal: planned.reduce((a, b) => a + b, 0),
            actualTotal: actual.reduce((a, b) => a + b, 0),
          };
        }),
      }));
      const candidates = hasRole(viewer, WRITERS)
        ? await db
            .selectFrom("person as p")
            .innerJoin("org_unit as o", "o.id", "p.org_unit_id")
            .leftJoin("party_dev_candidate as c", "c.person_id", "p.id")
            .select(["p.id", "p.full_name"])
            .where("o.path", "like", `${unit.path}%`)
            .where("p.party_status", "=", "quan_chung")
            .where("c.id", "is", null)
            .execute()
        : [];
      return {
        unit: { id: unit.id, name: unit.name },
        year,
        today,
        canEdit: canReach(viewer, WRITERS, unit.path, { write: true }),
        plan,
        people: list.map((p) => ({ ...p, path: pathOf(p) })),
        alerts: alertsFor(list, today),
        addable: sortByVietnameseName(candidates, (c) => c.full_name).map((c) => ({ id: c.id, name: c.full_name })),
        groups: groups.filter((g) => g !== UNGROUPED),
      };
    },

    /** Replaces the plan's targets of one group for the year (four quarters × four measures). */
    async saveTargets(viewer: Viewer, unitId: number, year: number, group: string, values: Record<Measure, number[]>) {
      const unit = await unitFor(viewer, unitId, true);
      const label = group.normalize("NFC").trim();
      const problems: string[] = [];
      if (!label) problems.push("Hãy ghi tên nhóm (ví dụ: Giáo viên, Học sinh).");
      for (const m of MEASURES)
        values[m.key]?.forEach((v, i) => {
          if (!Number.isInteger(v) || v < 0 || v > 999) problems.push(`${m.label}, quý ${i + 1}: chỉ tiêu phải là số nguyên từ 0 đến 999.`);
        });
      if (problems.length) return { ok: false as const, problems };
      await db.transaction().execute(async (trx) => {
        for (let q = 1; q <= 4; q++) {
          const row = {
            candidates: values.candidates?.[q - 1] ?? 0,
            sent_hd61: values.sent_hd61?.[q - 1] ?? 0,
            files_done: values.files_done?.[q - 1] ?? 0,
            made_full: values.made_full?.[q - 1] ?? 0,
          };
          await trx
            .insertInto("party_dev_target")
            .values({ unit_id: unit.id, year, group_label: label, quarter: q, ...row })
            .onConflict((oc) => oc.columns(["unit_id", "year", "group_label", "quarter"]).doUpdateSet(row))
            .execute();
        }
        await audit(trx, {
          actorId: viewer.userId,
          action: "pipeline.targets",
          entityType: "org_unit",
          entityId: unit.id,
          orgUnitId: unit.id,
          details: { year, group: label, values },
        });
      });
      return { ok: true as const };
    },

    /** Puts a non-member of the cell on the path (quần chúng ưu tú được bồi dưỡng). */
    async addCandidate(viewer: Viewer, unitId: number, input: { personId: number; group: string; nominatedOn: string }) {
      const unit = await unitFor(viewer, unitId, true);
      const person = await db
        .selectFrom("person as p")
        .innerJoin("org_unit as o", "o.id", "p.org_unit_id")
        .select(["p.id", "p.party_status", "o.path"])
        .where("p.id", "=", input.personId)
        .executeTakeFirst();
      if (!person || !person.path.startsWith(unit.path)) throw new BadRequest("Người này không thuộc đơn vị.");
      const nominatedOn = /^\d{4}-\d{2}-\d{2}$/.test(input.nominatedOn) ? input.nominatedOn : parseVnDate(input.nominatedOn);
      const problems: string[] = [];
      if (person.party_status !== "quan_chung") problems.push("Người này đã là đảng viên.");
      if (!nominatedOn) problems.push("Ngày giới thiệu không hợp lệ; ghi theo dạng dd/mm/yyyy.");
      if (!input.group.trim()) problems.push("Hãy chọn hoặc ghi nhóm (ví dụ: Giáo viên, Học sinh).");
      if (problems.length) return { ok: false as const, problems };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("party_dev_candidate")
          .values({ unit_id: unit.id, person_id: person.id, group_label: input.group.normalize("NFC").trim(), nominated_on: nominatedOn! })
          .onConflict((oc) => oc.column("person_id").doNothing())
          .execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "pipeline.candidate",
          entityType: "person",
          entityId: person.id,
          orgUnitId: unit.id,
          details: { group: input.group, nominatedOn },
        });
      });
      return { ok: true as const };
    },

    async markFilesDone(viewer: Viewer, personId: number, on: string | null) {
      const c = await db
        .selectFrom("party_dev_candidate as c")
        .innerJoin("org_unit as o", "o.id", "c.unit_id")
        .select(["c.id", "c.unit_id", "o.path"])
        .where("c.person_id", "=", personId)
        .executeTakeFirst();
      if (!c) throw new NotFound("Người này chưa có trong danh sách phát triển đảng viên.");
      if (!canReach(viewer, WRITERS, c.path, { write: true })) throw new Forbidden();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("party_dev_candidate").set({ files_done_on: on }).where("id", "=", c.id).execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "pipeline.files_done",
          entityType: "person",
          entityId: personId,
          orgUnitId: c.unit_id,
          details: { on },
        });
      });
      return { ok: true as const };
    },
  };
}

export type PipelineService = ReturnType<typeof createPipelineService>;
export type { Database, Clock };
