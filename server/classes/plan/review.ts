import type { NominationStatus } from "../../db/schema-class-plan";
import { audit } from "../../audit/log";
import { hasRole, canReach, scopeRoots, type Viewer } from "../../auth/scope";
import { BadRequest, Forbidden, NotFound } from "../../errors";
import { OVERRIDABLE, ruleSetSchema, type CheckKey } from "../eligibility";
import { ruleSetFor } from "./checks";
import { BOARD, OPENERS, RULE_EDITORS, STATUS_LABELS, parse, type PlanContext } from "./context";
import { nominationQuery, toViews } from "./nomination-queries";
import { programmeName, programmes } from "./scope";

/** Verification by the organisation board: the queue, approve or reject with overrides, and the entry rules. */

export function reviewMethods({ db, clock, today }: PlanContext) {
  return {
    async reviewQueue(viewer: Viewer, filter: { status?: NominationStatus | "all"; programmeCode?: string } = {}) {
      const roots = scopeRoots(viewer, BOARD);
      if (roots.length === 0) throw new Forbidden("Chỉ Ban Tổ chức được thẩm định danh sách đề cử.");
      let q = nominationQuery(db).where((eb) => eb.or(roots.map((r) => eb("u.path", "like", `${r}%`))));
      const status = filter.status ?? "pending";
      if (status !== "all") q = q.where("n.status", "=", status);
      if (filter.programmeCode) q = q.where("n.programme_code", "=", filter.programmeCode);
      return toViews(db, today(), await q.limit(1000).execute());
    },

    /**
     * Approve or reject one nominee. Rejection needs a reason; approval needs every check
     * passed, or the soft ones overridden with a reason (audited). A hard failure
     * (already certified, wrong party status, same person nominated twice) cannot be approved.
     */
    async decide(viewer: Viewer, nominationId: number, input: { approve: boolean; reason?: string | null; overrides?: string[] }) {
      const n = await nominationQuery(db).where("n.id", "=", nominationId).executeTakeFirst();
      if (!n) throw new NotFound("Không tìm thấy đề cử.");
      if (!canReach(viewer, BOARD, n.unit_path, { write: true })) throw new Forbidden("Người này không thuộc phạm vi thẩm định của bạn.");
      if (n.status !== "pending") throw new BadRequest(`Đề cử của ${n.full_name} đã được xử lý (${STATUS_LABELS[n.status]}).`);
      const reason = input.reason?.trim() || null;
      const [view] = await toViews(db, today(), [n]);
      const checks = view!.checks;
      if (!input.approve) {
        if (!reason || reason.length < 5)
          throw new BadRequest(`Hãy ghi lý do không duyệt ${n.full_name} (ít nhất 5 ký tự); đơn vị sẽ thấy lý do này.`);
      } else {
        const failed = checks.filter((c) => c.status === "fail");
        if (failed.length)
          throw new BadRequest(`Không thể duyệt ${n.full_name}: ${failed.map((c) => `${c.label}: ${c.message}`).join(" ")}`);
        const overrides = (input.overrides ?? []).filter((k): k is CheckKey => (OVERRIDABLE as readonly string[]).includes(k));
        const needed = checks.filter((c) => c.status === "needs_override" && !overrides.includes(c.key));
        if (needed.length)
          throw new BadRequest(
            `${n.full_name} cần xét ngoại lệ: ${needed.map((c) => c.label.toLowerCase()).join(", ")}. Đánh dấu ngoại lệ và ghi lý do.`,
          );
        const used = overrides.filter((k) => checks.some((c) => c.key === k && c.status === "needs_override"));
        if (used.length && (!reason || reason.length < 5)) throw new BadRequest("Xét ngoại lệ phải ghi rõ lý do (ít nhất 5 ký tự).");
        input = { ...input, overrides: used };
      }
      const status: NominationStatus = input.approve ? "approved" : "rejected";
      const overrides = input.approve ? (input.overrides ?? []) : [];
      await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable("nomination")
          .set({
            status,
            decision_reason: reason,
            decided_by: viewer.userId,
            decided_at: clock.now(),
            checks: JSON.stringify(checks),
            override_rules: JSON.stringify(overrides),
            override_reason: overrides.length ? reason : null,
          })
          .where("id", "=", nominationId)
          .where("status", "=", "pending")
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new BadRequest("Đề cử vừa được người khác xử lý; hãy tải lại trang.");
        await audit(trx, {
          actorId: viewer.userId,
          action: input.approve ? (overrides.length ? "nomination.approved_with_override" : "nomination.approved") : "nomination.rejected",
          entityType: "nomination",
          entityId: nominationId,
          orgUnitId: n.unit_id,
          reason,
          details: { personId: n.person_id, programme: n.programme_code, overrides, checks: checks.map((c) => `${c.key}:${c.status}`) },
        });
      });
      return { status };
    },

    async ruleSets(viewer: Viewer) {
      if (!hasRole(viewer, [...BOARD, ...OPENERS, "committee"])) throw new Forbidden("Bạn không có quyền xem điều kiện dự học.");
      const year = Number(today().slice(0, 4));
      const list = await programmes(db);
      return Promise.all(
        list.map(async (p) => ({
          code: p.code,
          name: p.name,
          rules: await ruleSetFor(db, p.code, year),
          canEdit: hasRole(viewer, RULE_EDITORS),
        })),
      );
    },

    async saveRuleSet(viewer: Viewer, code: string, rules: unknown) {
      if (!viewer.roles.some((g) => (g.role === "admin" || RULE_EDITORS.includes(g.role)) && !g.readOnly))
        throw new Forbidden("Chỉ Ban Tổ chức hoặc quản trị hệ thống được sửa điều kiện dự học.");
      await programmeName(db, code);
      const r = parse(ruleSetSchema, rules);
      await db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom("eligibility_rule_set").select("rules").where("programme_code", "=", code).executeTakeFirst();
        await trx
          .insertInto("eligibility_rule_set")
          .values({ programme_code: code, rules: JSON.stringify(r), updated_by: viewer.userId })
          .onConflict((oc) =>
            oc.column("programme_code").doUpdateSet({ rules: JSON.stringify(r), updated_by: viewer.userId, updated_at: clock.now() }),
          )
          .execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "eligibility.rules_changed",
          entityType: "programme",
          entityId: code,
          details: { before: before?.rules ?? null, after: r },
        });
      });
    },
  };
}
