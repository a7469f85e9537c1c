import { randomBytes } from "node:crypto";
import type { Database } from "../../db";
import type { Clock } from "../../clock";
import type { Viewer } from "../../auth/scope";
import { audit } from "../../audit/log";
import type { ProgrammeOutline } from "../timetable";
import { DEFAULT_RECORDS_POLICY, recordsPolicySchema, resolvePolicy } from "../records-policy";
import { DEFAULT_TEMPLATES, type TemplateKey } from "../official-documents";
import { ORGANISERS, READERS, type Problems, type RecordsContext } from "./context";
import { requireClass, type Klass } from "./scope";

/** Programme outline, the class's stored settings (policy, timetable reason, templates) and the QR key. */

export async function outline(db: Database, k: Klass): Promise<ProgrammeOutline> {
  const m = k.manifest as unknown as {
    totalPeriods: number;
    periodsPerSession: number;
    activities: { code: string; title: string; periods: number }[];
  };
  const lessons = await db
    .selectFrom("lesson as l")
    .innerJoin("lesson_version as v", "v.id", "l.published_version_id")
    .select(["l.position", "v.title", "v.periods"])
    .where("l.programme_code", "=", k.programme_code)
    .orderBy("l.position")
    .execute();
  return { totalPeriods: m.totalPeriods, periodsPerSession: m.periodsPerSession, lessons, activities: m.activities ?? [] };
}

export async function settings(db: Database, classId: number) {
  const s = await db.selectFrom("class_records_setting").selectAll().where("class_id", "=", classId).executeTakeFirst();
  return {
    policy: resolvePolicy(s?.policy),
    storedPolicy: s?.policy != null,
    timetableReason: s?.timetable_reason ?? null,
    templates: { ...DEFAULT_TEMPLATES, ...((s?.templates as Record<string, string> | null) ?? {}) } as Record<TemplateKey, string>,
  };
}

export async function upsertSetting(
  db: Database,
  clock: Clock,
  classId: number,
  viewer: Viewer,
  values: { policy?: string; timetable_reason?: string | null; templates?: string },
) {
  await db
    .insertInto("class_records_setting")
    .values({ class_id: classId, updated_by: viewer.userId, ...values })
    .onConflict((oc) => oc.column("class_id").doUpdateSet({ ...values, updated_by: viewer.userId, updated_at: clock.now() }))
    .execute();
}

/** The HMAC key shared by every server process: created once, in the database, on first use. */
export function attendanceSecret(db: Database): () => Promise<string> {
  let secretMemo: Promise<string> | null = null;
  return function secret(): Promise<string> {
    secretMemo ??= (async () => {
      await db
        .insertInto("server_secret")
        .values({ name: "attendance_qr", value: randomBytes(32).toString("base64url") })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      const row = await db.selectFrom("server_secret").select("value").where("name", "=", "attendance_qr").executeTakeFirstOrThrow();
      return row.value;
    })().catch((e) => {
      secretMemo = null;
      throw e;
    });
    return secretMemo;
  };
}

export function policyMethods(ctx: RecordsContext) {
  const { db, clock } = ctx;
  return {
    async policy(viewer: Viewer, classId: number) {
      await requireClass(db, viewer, classId, READERS);
      const s = await settings(db, classId);
      return { policy: s.policy, stored: s.storedPolicy, defaults: DEFAULT_RECORDS_POLICY };
    },

    async savePolicy(viewer: Viewer, classId: number, policy: unknown): Promise<{ ok: true } | Problems> {
      const k = await requireClass(db, viewer, classId, ORGANISERS, true);
      const parsed = recordsPolicySchema.safeParse(policy);
      if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => i.message) };
      await db.transaction().execute(async (trx) => {
        await upsertSetting(trx, clock, classId, viewer, { policy: JSON.stringify(parsed.data) });
        await audit(trx, {
          actorId: viewer.userId,
          action: "class_policy.save",
          entityType: "training_class",
          entityId: classId,
          orgUnitId: k.centre_unit_id,
          details: parsed.data as unknown as Record<string, unknown>,
        });
      });
      return { ok: true };
    },
  };
}
