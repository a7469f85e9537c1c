import { z } from "zod";
import { birthDatesToFix, birthDateSchema } from "../rules/birth-date";
import JSZip from "jszip";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ServiceDeps } from "../service-deps";
import type { PartyStatus, Role } from "../db/schema";
import type { NominationStatus } from "../db/schema-class-plan";
import { audit } from "../audit/log";
import { canReach, hasRole, scopeRoots, type Viewer } from "../auth/scope";
import { generatePassword, hashPassword } from "../auth/password";
import { newId } from "../accounts/service";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { readTable } from "../imports/table";
import { vnDay } from "../rules/dates";
import { normaliseName, sortByVietnameseName } from "../rules/vietnamese-names";
import { PARTY_STATUS_LABELS } from "../organisations/labels";
import { renderPartyDocumentPdf } from "../documents/pdf";
import { renderPartyDocumentDocx } from "../documents/docx";
import {
  OVERRIDABLE,
  checkEligibility,
  defaultRuleSet,
  personKey,
  ruleSetSchema,
  verdict,
  type Check,
  type CheckKey,
  type OtherEntry,
  type RuleSet,
  type Verdict,
} from "./eligibility";
import { nextDocumentNumber } from "./numbering";
import { nomineeTemplateXlsx, validateNomineeTable, type NomineeRow, type RowIssue } from "./nomination-import";
import { DOC_TYPES, callUpLetter, fileSlug, openingDecision, type ClassFacts, type Issuer, type TraineeFacts } from "./plan-documents";
import { renderCallUpLettersPdf } from "./callup-pdf";
import { seatingPlan } from "./seating";
import { decisionDateProblem, defaultDecisionDate } from "./decision-date";

/**
 * Training plans, nominations and eligibility, opening a class, call-up letters,
 * seating (issue #7, part 1; docs/class-plan.md). Every method takes the viewer and
 * checks role and organisational scope; decisions, overrides, openings and issued
 * passwords are audited in the transaction that makes them.
 */

const PLAN_READERS: Role[] = ["centre_admin", "organisation_board", "committee", "unit_secretary"];
const PLANNERS: Role[] = ["centre_admin"];
const NOMINATORS: Role[] = ["unit_secretary"];
const BOARD: Role[] = ["organisation_board"];
const OPENERS: Role[] = ["centre_admin"];
const CLASS_VIEWERS: Role[] = ["centre_admin", "lecturer", "proctor"];
const RULE_EDITORS: Role[] = ["organisation_board"];

export const STATUS_LABELS: Record<NominationStatus, string> = {
  pending: "Chờ thẩm định",
  approved: "Đã duyệt",
  rejected: "Không duyệt",
  withdrawn: "Đã rút",
};

const planItemSchema = z.object({
  centreId: z.coerce.number().int().positive("Hãy chọn trung tâm."),
  year: z.coerce.number({ error: "Năm phải là số." }).int().min(2000, "Năm không hợp lệ.").max(2100, "Năm không hợp lệ."),
  programmeCode: z.string().min(1, "Hãy chọn chương trình."),
  label: z.string().trim().min(1, "Hãy ghi tên khóa, ví dụ “Khóa 1”.").max(100),
  month: z.coerce.number({ error: "Tháng phải là số từ 1 đến 12." }).int().min(1, "Tháng phải từ 1 đến 12.").max(12, "Tháng phải từ 1 đến 12."),
  targetSize: z.coerce.number({ error: "Chỉ tiêu phải là số." }).int().min(1, "Chỉ tiêu phải lớn hơn 0.").max(1000, "Chỉ tiêu tối đa 1000 học viên."),
  intendedGroup: z.string().trim().min(1, "Hãy ghi đối tượng, ví dụ “giáo viên, học sinh”.").max(200),
  notes: z.string().trim().max(1000).optional().nullable(),
});
export type PlanItemInput = z.input<typeof planItemSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày không hợp lệ.");
const newPersonSchema = z.object({
  fullName: z.string().transform(normaliseName).pipe(z.string().min(3, "Hãy ghi đủ họ và tên.").regex(/^[^0-9=+@]+$/, "Họ tên không được chứa chữ số hay ký hiệu.")),
  birthDate: birthDateSchema(),
  gender: z.enum(["nam", "nu"]).nullable().optional(),
  ethnicity: z.string().trim().max(50).nullable().optional(),
  education: z.enum(["tieu_hoc", "thcs", "thpt", "trung_cap", "cao_dang", "dai_hoc", "sau_dai_hoc"]).nullable().optional(),
  partyStatus: z.enum(["quan_chung", "du_bi", "chinh_thuc"]).default("quan_chung"),
  admissionDate: isoDate.nullable().optional(),
  position: z.string().trim().max(200).nullable().optional(),
  phone: z.string().trim().max(20).nullable().optional(),
});
const nominateSchema = z.object({
  programmeCode: z.string().min(1, "Hãy chọn chương trình."),
  planItemId: z.coerce.number().int().positive().nullable().optional(),
  unitId: z.coerce.number().int().positive("Hãy chọn đơn vị cử đi học."),
  personId: z.coerce.number().int().positive().nullable().optional(),
  person: newPersonSchema.nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional(),
});
export type NominateInput = z.input<typeof nominateSchema>;

const openSchema = z
  .object({
    nominationIds: z.array(z.coerce.number().int().positive()).min(1, "Hãy chọn ít nhất một học viên đã được duyệt."),
    classId: z.coerce.number().int().positive().nullable().optional(),
    name: z.string().trim().max(300).optional(),
    cohortLabel: z.string().trim().max(100).optional(),
    venue: z.string().trim().max(300).optional(),
    startsOn: isoDate.optional(),
    endsOn: isoDate.optional(),
  })
  .refine((o) => o.classId || (o.name && o.startsOn && o.endsOn && o.venue), "Lớp mới cần tên lớp, địa điểm, ngày khai giảng và ngày bế giảng.")
  .refine((o) => o.classId || !o.startsOn || !o.endsOn || o.startsOn <= o.endsOn, "Ngày bế giảng phải sau ngày khai giảng.");
export type OpenClassInput = z.input<typeof openSchema>;

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new BadRequest(r.error.issues.map((i) => i.message).join(" "));
  return r.data;
}

export interface NominationView {
  id: number;
  personId: number;
  fullName: string;
  birthDate: string | null;
  unitId: number;
  unitName: string;
  programmeCode: string;
  programmeName: string;
  planItemId: number | null;
  planItemLabel: string | null;
  classId: number | null;
  className: string | null;
  status: NominationStatus;
  statusLabel: string;
  decisionReason: string | null;
  overrideRules: string[];
  overrideReason: string | null;
  note: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  checks: Check[];
  verdict: Verdict;
}

export function createClassPlanService(deps: ServiceDeps) {
  const { db, clock, config } = deps;
  const today = () => vnDay(clock.now());

  // ---- scope helpers -----------------------------------------------------------------

  async function unitOf(id: number) {
    const u = await db.selectFrom("org_unit").selectAll().where("id", "=", id).executeTakeFirst();
    if (!u) throw new NotFound("Không tìm thấy đơn vị.");
    return u;
  }

  /** Centres a viewer may see plans of: by staff role over the centre, or a secretary under it. */
  async function visibleCentres(viewer: Viewer) {
    const rows = await db
      .selectFrom("training_centre as c")
      .innerJoin("org_unit as o", "o.id", "c.org_unit_id")
      .select(["c.id", "c.name", "c.abbreviation", "c.director_name", "c.org_unit_id", "o.path", "o.name as unit_name", "o.place_name"])
      .orderBy("c.id")
      .execute();
    const secretaryPaths = viewer.roles.filter((g) => g.role === "unit_secretary").map((g) => g.orgPath);
    return rows.filter((c) => canReach(viewer, PLAN_READERS, c.path) || secretaryPaths.some((p) => p.startsWith(c.path)));
  }

  async function centreOf(centreId: number) {
    const c = await db
      .selectFrom("training_centre as c")
      .innerJoin("org_unit as o", "o.id", "c.org_unit_id")
      .select(["c.id", "c.name", "c.abbreviation", "c.director_name", "c.org_unit_id", "o.path", "o.name as unit_name", "o.place_name"])
      .where("c.id", "=", centreId)
      .executeTakeFirst();
    if (!c) throw new NotFound("Không tìm thấy trung tâm.");
    return c;
  }

  async function programmes() {
    return db.selectFrom("programme").select(["code", "name"]).orderBy("code", "desc").execute();
  }

  async function programmeName(code: string): Promise<string> {
    const p = await db.selectFrom("programme").select("name").where("code", "=", code).executeTakeFirst();
    if (!p) throw new BadRequest(`Không có chương trình “${code}”.`);
    return p.name;
  }

  async function planItem(id: number) {
    const item = await db.selectFrom("training_plan_item").selectAll().where("id", "=", id).executeTakeFirst();
    if (!item) throw new NotFound("Không tìm thấy mục kế hoạch.");
    return item;
  }

  // ---- eligibility -----------------------------------------------------------------

  async function ruleSetFor(code: string, year: number): Promise<RuleSet> {
    const row = await db.selectFrom("eligibility_rule_set").select("rules").where("programme_code", "=", code).executeTakeFirst();
    if (!row) return defaultRuleSet(code, year);
    const r = ruleSetSchema.safeParse(row.rules);
    return r.success ? r.data : defaultRuleSet(code, year);
  }

  /** Live nominations and open-class enrolments of these programmes, for duplicate checks. */
  async function entriesFor(codes: string[]) {
    if (codes.length === 0) return [];
    const noms = await db
      .selectFrom("nomination as n")
      .innerJoin("person as p", "p.id", "n.person_id")
      .innerJoin("org_unit as u", "u.id", "n.unit_id")
      .leftJoin("training_class as c", "c.id", "n.class_id")
      .select(["n.id", "n.programme_code", "n.person_id", "p.full_name", "p.birth_date", "u.name as unit_name", "n.status", "n.class_id"])
      .where("n.programme_code", "in", codes)
      .where((eb) => eb.or([eb("n.status", "=", "pending"), eb.and([eb("n.status", "=", "approved"), eb("n.class_id", "is", null)])]))
      .execute();
    const enrols = await db
      .selectFrom("class_enrolment as e")
      .innerJoin("training_class as c", "c.id", "e.class_id")
      .innerJoin("person as p", "p.id", "e.person_id")
      .select(["c.id as class_id", "c.name as class_name", "c.programme_code", "e.person_id", "p.full_name", "p.birth_date"])
      .where("c.programme_code", "in", codes)
      .where("c.status", "=", "open")
      .execute();
    return [
      ...noms.map((n) => ({ nominationId: n.id, classId: null as number | null, programme: n.programme_code, entry: { kind: "nomination" as const, personId: n.person_id, fullName: n.full_name, birthDate: n.birth_date, where: n.unit_name, status: n.status } })),
      ...enrols.map((e) => ({ nominationId: null as number | null, classId: e.class_id, programme: e.programme_code, entry: { kind: "enrolment" as const, personId: e.person_id, fullName: e.full_name, birthDate: e.birth_date, where: e.class_name, status: "open" } })),
    ];
  }

  async function certifiedOf(personIds: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (personIds.length === 0) return out;
    const rows = await db.selectFrom("certificate").select(["person_id", "programme_code"]).where("person_id", "in", personIds).where("status", "=", "valid").execute();
    for (const r of rows) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.programme_code]);
    return out;
  }

  interface Subject {
    nominationId: number | null;
    /** The class this nominee is already linked to (its own enrolment is no duplicate). */
    classId: number | null;
    programmeCode: string;
    year: number;
    person: { id: number | null; full_name: string; birth_date: string | null; education_level: string | null; party_status: PartyStatus; position: string | null };
  }

  /** Checks for many nominees at once (one query per kind of fact). */
  async function checksFor(subjects: Subject[]): Promise<Check[][]> {
    const codes = [...new Set(subjects.map((s) => s.programmeCode))];
    const entries = await entriesFor(codes);
    const certified = await certifiedOf(subjects.map((s) => s.person.id).filter((id): id is number => id !== null));
    const names = new Map((await programmes()).map((p) => [p.code, p.name]));
    const rules = new Map<string, RuleSet>();
    const out: Check[][] = [];
    for (const s of subjects) {
      const rk = `${s.programmeCode}|${s.year}`;
      if (!rules.has(rk)) rules.set(rk, await ruleSetFor(s.programmeCode, s.year));
      const others: OtherEntry[] = entries
        .filter((e) => e.programme === s.programmeCode && e.nominationId !== s.nominationId && !(e.classId !== null && e.classId === s.classId && e.entry.personId === s.person.id))
        .map((e) => e.entry);
      out.push(
        checkEligibility(
          rules.get(rk)!,
          { id: s.person.id, fullName: s.person.full_name, birthDate: s.person.birth_date, educationLevel: s.person.education_level, partyStatus: s.person.party_status, position: s.person.position },
          { certifiedProgrammes: s.person.id ? (certified.get(s.person.id) ?? []) : [], programmeCode: s.programmeCode, programmeName: names.get(s.programmeCode) ?? s.programmeCode, others },
        ),
      );
    }
    return out;
  }

  // ---- nominations: queries ----------------------------------------------------------

  function nominationQuery() {
    return db
      .selectFrom("nomination as n")
      .innerJoin("person as p", "p.id", "n.person_id")
      .innerJoin("org_unit as u", "u.id", "n.unit_id")
      .innerJoin("programme as g", "g.code", "n.programme_code")
      .leftJoin("training_plan_item as i", "i.id", "n.plan_item_id")
      .leftJoin("training_class as c", "c.id", "n.class_id")
      .select([
        "n.id",
        "n.person_id",
        "n.programme_code",
        "n.unit_id",
        "n.plan_item_id",
        "n.class_id",
        "n.status",
        "n.decision_reason",
        "n.override_rules",
        "n.override_reason",
        "n.note",
        "n.decided_at",
        "n.created_at",
        "p.full_name",
        "p.birth_date",
        "p.education_level",
        "p.party_status",
        "p.position",
        "u.name as unit_name",
        "u.path as unit_path",
        "g.name as programme_name",
        "i.label as plan_label",
        "i.year as plan_year",
        "c.name as class_name",
      ]);
  }
  type NominationRow = Awaited<ReturnType<ReturnType<typeof nominationQuery>["execute"]>>[number];

  async function toViews(rows: NominationRow[]): Promise<NominationView[]> {
    const year = Number(today().slice(0, 4));
    const checks = await checksFor(
      rows.map((r) => ({
        nominationId: r.id,
        classId: r.class_id,
        programmeCode: r.programme_code,
        year: r.plan_year ?? year,
        person: { id: r.person_id, full_name: r.full_name, birth_date: r.birth_date, education_level: r.education_level, party_status: r.party_status, position: r.position },
      })),
    );
    const views = rows.map((r, i) => {
      const overrideRules = (r.override_rules as unknown as string[]) ?? [];
      return {
        id: r.id,
        personId: r.person_id,
        fullName: r.full_name,
        birthDate: r.birth_date,
        unitId: r.unit_id,
        unitName: r.unit_name,
        programmeCode: r.programme_code,
        programmeName: r.programme_name,
        planItemId: r.plan_item_id,
        planItemLabel: r.plan_label ? `${r.plan_label} năm ${r.plan_year}` : null,
        classId: r.class_id,
        className: r.class_name,
        status: r.status,
        statusLabel: STATUS_LABELS[r.status],
        decisionReason: r.decision_reason,
        overrideRules,
        overrideReason: r.override_reason,
        note: r.note,
        decidedAt: r.decided_at,
        createdAt: r.created_at,
        checks: checks[i]!,
        verdict: verdict(checks[i]!, overrideRules),
      };
    });
    return sortByVietnameseName(views, (v) => v.fullName);
  }

  function scopeFilter(viewer: Viewer, roles: Role[]) {
    const roots = scopeRoots(viewer, roles);
    if (roots.length === 0) throw new Forbidden("Bạn không có quyền xem danh sách đề cử.");
    return roots;
  }

  /** Units a secretary may nominate from: their subtree (cells and grassroots committees). */
  async function nominatingUnits(viewer: Viewer) {
    const roots = scopeRoots(viewer, NOMINATORS);
    if (roots.length === 0) return [];
    return db
      .selectFrom("org_unit")
      .select(["id", "name", "abbreviation", "short_name", "path", "kind"])
      .where((eb) => eb.or(roots.map((r) => eb("path", "like", `${r}%`))))
      .where("kind", "in", ["cell", "grassroots"])
      .orderBy("path")
      .execute();
  }

  /** Plan items a unit may nominate for: items of centres above the unit, this year and later. */
  async function planItemsForUnits(unitPaths: string[]) {
    const year = Number(today().slice(0, 4));
    const items = await db
      .selectFrom("training_plan_item as i")
      .innerJoin("training_centre as c", "c.id", "i.centre_id")
      .innerJoin("org_unit as o", "o.id", "c.org_unit_id")
      .innerJoin("programme as g", "g.code", "i.programme_code")
      .select(["i.id", "i.year", "i.month", "i.label", "i.programme_code", "i.intended_group", "i.target_size", "g.name as programme_name", "c.name as centre_name", "o.path"])
      .where("i.year", ">=", year)
      .orderBy("i.year")
      .orderBy("i.month")
      .execute();
    return items.filter((i) => unitPaths.some((p) => p.startsWith(i.path)));
  }

  async function requirePlanItemFor(planItemId: number, programmeCode: string, unitPath: string) {
    const item = await planItem(planItemId);
    if (item.programme_code !== programmeCode) throw new BadRequest("Mục kế hoạch đã chọn thuộc chương trình khác.");
    const centre = await centreOf(item.centre_id);
    if (!unitPath.startsWith(centre.path)) throw new BadRequest("Mục kế hoạch đã chọn không thuộc trung tâm phụ trách đơn vị này.");
    return item;
  }

  /** Refuses a nomination when the person already has a live one for the programme. */
  async function liveNominationOf(trx: Database, personId: number, programmeCode: string) {
    return trx
      .selectFrom("nomination as n")
      .innerJoin("org_unit as u", "u.id", "n.unit_id")
      .select(["n.id", "n.status", "u.name as unit_name"])
      .where("n.person_id", "=", personId)
      .where("n.programme_code", "=", programmeCode)
      .where((eb) => eb.or([eb("n.status", "=", "pending"), eb.and([eb("n.status", "=", "approved"), eb("n.class_id", "is", null)])]))
      .executeTakeFirst();
  }

  async function enrolledOpen(trx: Database, personId: number, programmeCode: string) {
    return trx
      .selectFrom("class_enrolment as e")
      .innerJoin("training_class as c", "c.id", "e.class_id")
      .select(["c.name"])
      .where("e.person_id", "=", personId)
      .where("c.programme_code", "=", programmeCode)
      .where("c.status", "=", "open")
      .executeTakeFirst();
  }

  /** An existing person in the unit's subtree with the same name and birth date, or none. */
  async function matchPerson(trx: Database, unitPath: string, fullName: string, birthDate: string) {
    const candidates = await trx
      .selectFrom("person as p")
      .innerJoin("org_unit as o", "o.id", "p.org_unit_id")
      .select(["p.id", "p.full_name", "p.birth_date"])
      .where("o.path", "like", `${unitPath}%`)
      .where("p.birth_date", "=", birthDate)
      .execute();
    const key = personKey(fullName, birthDate);
    return candidates.find((c) => personKey(c.full_name, c.birth_date) === key) ?? null;
  }

  // ---- accounts ------------------------------------------------------------------------

  /** Creates trainee accounts for people who have none; the password is random and unknown until a call-up letter prints a fresh one. */
  async function ensureAccounts(trx: Database, people: { id: number; full_name: string; org_unit_id: number }[], hashes: string[]): Promise<number> {
    const have = new Set(
      people.length
        ? (await trx.selectFrom("user_account").select("person_id").where("person_id", "in", people.map((p) => p.id)).execute()).map((r) => r.person_id)
        : [],
    );
    const missing = people.filter((p) => !have.has(p.id));
    if (missing.length === 0) return 0;
    const prefix = `hv${today().slice(2, 4)}`;
    const last = await trx
      .selectFrom("user_account")
      .select("username")
      .where("username", "like", `${prefix}%`)
      .where("username", "~", `^${prefix}[0-9]{4,}$`)
      .orderBy("username", "desc")
      .limit(1)
      .executeTakeFirst();
    let seq = last ? Number(last.username.slice(prefix.length)) : 0;
    for (const [i, p] of missing.entries()) {
      const id = newId();
      await trx
        .insertInto("user_account")
        .values({ id, username: `${prefix}${String(++seq).padStart(4, "0")}`, password_hash: hashes[i] ?? (await hashPassword(generatePassword(16))), display_name: p.full_name, person_id: p.id, must_change_password: true })
        .execute();
      await trx.insertInto("role_assignment").values({ user_id: id, role: "trainee", org_unit_id: p.org_unit_id }).execute();
    }
    return missing.length;
  }

  // ---- classes ---------------------------------------------------------------------------

  async function classFor(viewer: Viewer, classId: number, roles: Role[], opts: { write?: boolean } = {}, ex: Database = db) {
    const c = await ex
      .selectFrom("training_class as c")
      .innerJoin("training_centre as t", "t.id", "c.centre_id")
      .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
      .innerJoin("programme as g", "g.code", "c.programme_code")
      .select([
        "c.id",
        "c.name",
        "c.programme_code",
        "c.starts_on",
        "c.ends_on",
        "c.cohort_label",
        "c.venue",
        "c.status",
        "c.plan_item_id",
        "c.centre_id",
        "g.name as programme_name",
        "t.name as centre_name",
        "t.abbreviation as centre_abbr",
        "t.director_name",
        "t.org_unit_id as centre_unit_id",
        "o.name as unit_name",
        "o.place_name",
        "o.path",
      ])
      .where("c.id", "=", classId)
      .executeTakeFirst();
    if (!c) throw new NotFound("Không có lớp này.");
    if (!canReach(viewer, roles, c.path, opts)) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
    return c;
  }
  type ClassRow = Awaited<ReturnType<typeof classFor>>;

  function issuerOf(c: ClassRow): Issuer {
    return { parentBody: c.unit_name, name: c.centre_name, abbreviation: c.centre_abbr, place: c.place_name ?? c.unit_name, directorName: c.director_name };
  }
  function factsOf(c: ClassRow): ClassFacts {
    return { name: c.name, programmeName: c.programme_name, cohortLabel: c.cohort_label, venue: c.venue, startsOn: c.starts_on, endsOn: c.ends_on };
  }

  async function traineesOf(classId: number) {
    const rows = await db
      .selectFrom("class_enrolment as e")
      .innerJoin("person as p", "p.id", "e.person_id")
      .innerJoin("org_unit as u", "u.id", "p.org_unit_id")
      .leftJoin("user_account as a", "a.person_id", "p.id")
      .select(["p.id", "p.full_name", "p.birth_date", "p.party_status", "p.org_unit_id", "u.name as unit_name", "a.id as user_id", "a.username", "a.must_change_password"])
      .where("e.class_id", "=", classId)
      .execute();
    return sortByVietnameseName(rows, (r) => r.full_name);
  }

  /** The class's number for a document type, given once (at first issue) and kept for reprints. */
  async function classDocumentNumber(trx: Database, viewer: Viewer, c: ClassRow, docType: string) {
    const existing = await trx.selectFrom("class_document").selectAll().where("class_id", "=", c.id).where("doc_type", "=", docType).executeTakeFirst();
    if (existing) return existing;
    const n = await nextDocumentNumber(trx, { unitId: c.centre_unit_id, docType });
    return trx
      .insertInto("class_document")
      // The decision to open the class precedes it: never dated after the class began (decision-date.ts).
      .values({ class_id: c.id, doc_type: docType, no: n.no, label: n.label, term_label: n.termLabel, issued_on: docType === DOC_TYPES.decision.abbr ? defaultDecisionDate(today(), c.starts_on) : today(), created_by: viewer.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  const traineeFacts = (t: Awaited<ReturnType<typeof traineesOf>>[number]): TraineeFacts => ({
    fullName: t.full_name,
    birthDate: t.birth_date,
    unitName: t.unit_name,
    partyStatusLabel: t.party_status === "quan_chung" ? "" : PARTY_STATUS_LABELS[t.party_status],
  });

  return {
    programmes,

    // ---- plan ------------------------------------------------------------------------

    /** The year's plan of every centre the viewer sees, with progress against each item. */
    async planOverview(viewer: Viewer, year: number) {
      if (!hasRole(viewer, PLAN_READERS)) throw new Forbidden("Bạn không có quyền xem kế hoạch bồi dưỡng.");
      const centres = await visibleCentres(viewer);
      const ids = centres.map((c) => c.id);
      const items = ids.length
        ? await db
            .selectFrom("training_plan_item as i")
            .innerJoin("programme as g", "g.code", "i.programme_code")
            .selectAll("i")
            .select("g.name as programme_name")
            .where("i.centre_id", "in", ids)
            .where("i.year", "=", year)
            .orderBy("i.month")
            .orderBy("i.id")
            .execute()
        : [];
      const itemIds = items.map((i) => i.id);
      const classes = itemIds.length
        ? await db
            .selectFrom("training_class as c")
            .select(["c.id", "c.name", "c.plan_item_id", "c.status", "c.starts_on"])
            .select((eb) => eb.selectFrom("class_enrolment as e").select(eb.fn.countAll<number>().as("n")).whereRef("e.class_id", "=", "c.id").as("enrolled"))
            .where("c.plan_item_id", "in", itemIds)
            .execute()
        : [];
      const noms = itemIds.length
        ? await db.selectFrom("nomination").select(["plan_item_id", "status"]).select((eb) => eb.fn.countAll<number>().as("n")).where("plan_item_id", "in", itemIds).groupBy(["plan_item_id", "status"]).execute()
        : [];
      return {
        year,
        canEdit: centres.filter((c) => canReach(viewer, PLANNERS, c.path, { write: true })).map((c) => c.id),
        programmes: await programmes(),
        centres: centres.map((c) => {
          const own = items.filter((i) => i.centre_id === c.id).map((i) => {
            const cls = classes.filter((k) => k.plan_item_id === i.id);
            const count = (s: string) => Number(noms.find((n) => n.plan_item_id === i.id && n.status === s)?.n ?? 0);
            return {
              id: i.id,
              programmeCode: i.programme_code,
              programmeName: i.programme_name,
              label: i.label,
              month: i.month,
              targetSize: i.target_size,
              intendedGroup: i.intended_group,
              notes: i.notes,
              classes: cls.map((k) => ({ id: k.id, name: k.name, status: k.status, enrolled: Number(k.enrolled) })),
              enrolled: cls.reduce((s, k) => s + Number(k.enrolled), 0),
              nominated: { pending: count("pending"), approved: count("approved"), rejected: count("rejected") },
            };
          });
          return {
            id: c.id,
            name: c.name,
            items: own,
            totals: {
              planned: own.length,
              target: own.reduce((s, i) => s + i.targetSize, 0),
              opened: own.filter((i) => i.classes.length > 0).length,
              enrolled: own.reduce((s, i) => s + i.enrolled, 0),
            },
          };
        }),
      };
    },

    async addPlanItem(viewer: Viewer, input: PlanItemInput) {
      const v = parse(planItemSchema, input);
      const centre = await centreOf(v.centreId);
      if (!canReach(viewer, PLANNERS, centre.path, { write: true })) throw new Forbidden("Chỉ cán bộ trung tâm được lập kế hoạch của trung tâm mình.");
      await programmeName(v.programmeCode);
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto("training_plan_item")
          .values({ centre_id: v.centreId, year: v.year, programme_code: v.programmeCode, label: v.label, month: v.month, target_size: v.targetSize, intended_group: v.intendedGroup, notes: v.notes || null, created_by: viewer.userId })
          .returning("id")
          .executeTakeFirstOrThrow();
        await audit(trx, { actorId: viewer.userId, action: "plan.item_added", entityType: "training_plan_item", entityId: row.id, orgUnitId: centre.org_unit_id, details: { ...v } });
        return row.id;
      });
    },

    async updatePlanItem(viewer: Viewer, id: number, input: PlanItemInput) {
      const item = await planItem(id);
      const v = parse(planItemSchema, { ...input, centreId: item.centre_id });
      const centre = await centreOf(item.centre_id);
      if (!canReach(viewer, PLANNERS, centre.path, { write: true })) throw new Forbidden("Chỉ cán bộ trung tâm được sửa kế hoạch của trung tâm mình.");
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("training_plan_item")
          .set({ year: v.year, programme_code: v.programmeCode, label: v.label, month: v.month, target_size: v.targetSize, intended_group: v.intendedGroup, notes: v.notes || null })
          .where("id", "=", id)
          .execute();
        await audit(trx, { actorId: viewer.userId, action: "plan.item_changed", entityType: "training_plan_item", entityId: id, orgUnitId: centre.org_unit_id, details: { before: { ...item, created_at: undefined }, after: v } });
      });
    },

    async removePlanItem(viewer: Viewer, id: number) {
      const item = await planItem(id);
      const centre = await centreOf(item.centre_id);
      if (!canReach(viewer, PLANNERS, centre.path, { write: true })) throw new Forbidden("Chỉ cán bộ trung tâm được sửa kế hoạch của trung tâm mình.");
      const used = await db.selectFrom("training_class").select("id").where("plan_item_id", "=", id).executeTakeFirst();
      const nominated = await db.selectFrom("nomination").select("id").where("plan_item_id", "=", id).executeTakeFirst();
      if (used || nominated) throw new BadRequest("Mục kế hoạch đã có lớp hoặc có người được đề cử; không thể xóa.");
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("training_plan_item").where("id", "=", id).execute();
        await audit(trx, { actorId: viewer.userId, action: "plan.item_removed", entityType: "training_plan_item", entityId: id, orgUnitId: centre.org_unit_id, details: { label: item.label, year: item.year } });
      });
    },

    // ---- nominations (cell secretaries) -------------------------------------------------

    /** What the nomination form offers: units, programmes, plan items. */
    async nominationForm(viewer: Viewer) {
      const units = await nominatingUnits(viewer);
      if (units.length === 0) throw new Forbidden("Chỉ bí thư chi bộ, cấp ủy cơ sở được gửi danh sách đề cử.");
      return {
        units: units.map((u) => ({ id: u.id, name: u.name })),
        programmes: await programmes(),
        planItems: (await planItemsForUnits(units.map((u) => u.path))).map((i) => ({
          id: i.id,
          programmeCode: i.programme_code,
          label: `${i.label} năm ${i.year} — ${i.programme_name} (tháng ${i.month}, ${i.intended_group})`,
        })),
      };
    },

    /** Nominations of the viewer's units (secretary) or subtree (board, centre), with the outcome. */
    async listNominations(viewer: Viewer, filter: { status?: NominationStatus | "all"; programmeCode?: string; unitId?: number } = {}) {
      const roots = scopeFilter(viewer, [...NOMINATORS, ...BOARD, ...OPENERS]);
      let q = nominationQuery().where((eb) => eb.or(roots.map((r) => eb("u.path", "like", `${r}%`))));
      if (filter.status && filter.status !== "all") q = q.where("n.status", "=", filter.status);
      if (filter.programmeCode) q = q.where("n.programme_code", "=", filter.programmeCode);
      if (filter.unitId) q = q.where("n.unit_id", "=", filter.unitId);
      return toViews(await q.orderBy("n.id", "desc").limit(1000).execute());
    },

    async nominate(viewer: Viewer, input: NominateInput) {
      const v = parse(nominateSchema, input);
      const unit = await unitOf(v.unitId);
      if (!canReach(viewer, NOMINATORS, unit.path, { write: true })) throw new Forbidden("Bạn chỉ được đề cử người của đơn vị mình.");
      const progName = await programmeName(v.programmeCode);
      if (v.planItemId) await requirePlanItemFor(v.planItemId, v.programmeCode, unit.path);
      if (!v.personId && !v.person) throw new BadRequest("Hãy chọn người trong đơn vị hoặc nhập thông tin người mới.");
      const id = await db.transaction().execute(async (trx) => {
        let personId = v.personId ?? null;
        let created = false;
        if (personId) {
          const p = await trx.selectFrom("person as p").innerJoin("org_unit as o", "o.id", "p.org_unit_id").select(["p.id", "o.path"]).where("p.id", "=", personId).executeTakeFirst();
          if (!p || !p.path.startsWith(unit.path)) throw new Forbidden("Người này không thuộc đơn vị đã chọn.");
        } else {
          const n = v.person!;
          if (n.partyStatus !== "quan_chung" && !n.admissionDate) throw new BadRequest("Đảng viên cần có ngày vào Đảng.");
          const match = await matchPerson(trx, unit.path, n.fullName, n.birthDate);
          if (match) personId = match.id;
          else {
            const p = await trx
              .insertInto("person")
              .values({ org_unit_id: unit.id, full_name: n.fullName, birth_date: n.birthDate, gender: n.gender ?? null, ethnicity: n.ethnicity || null, education_level: n.education ?? null, party_status: n.partyStatus, admission_date: n.partyStatus === "quan_chung" ? null : (n.admissionDate ?? null), position: n.position || null, phone: n.phone || null })
              .returning("id")
              .executeTakeFirstOrThrow();
            personId = p.id;
            created = true;
          }
        }
        const live = await liveNominationOf(trx, personId, v.programmeCode);
        if (live) throw new BadRequest(`Người này đã được ${live.unit_name} đề cử vào lớp ${progName} (${STATUS_LABELS[live.status]}).`);
        const enrolled = await enrolledOpen(trx, personId, v.programmeCode);
        if (enrolled) throw new BadRequest(`Người này đã có tên trong ${enrolled.name}.`);
        const row = await trx
          .insertInto("nomination")
          .values({ person_id: personId, programme_code: v.programmeCode, unit_id: unit.id, plan_item_id: v.planItemId ?? null, note: v.note || null, created_by: viewer.userId })
          .returning("id")
          .executeTakeFirstOrThrow();
        await audit(trx, { actorId: viewer.userId, action: "nomination.created", entityType: "nomination", entityId: row.id, orgUnitId: unit.id, details: { personId, programme: v.programmeCode, createdPerson: created } });
        return row.id;
      });
      return id;
    },

    async withdraw(viewer: Viewer, nominationId: number) {
      const n = await nominationQuery().where("n.id", "=", nominationId).executeTakeFirst();
      if (!n) throw new NotFound("Không tìm thấy đề cử.");
      if (!canReach(viewer, NOMINATORS, n.unit_path, { write: true })) throw new Forbidden("Bạn chỉ được rút đề cử của đơn vị mình.");
      if (n.status !== "pending") throw new BadRequest("Chỉ rút được đề cử đang chờ thẩm định.");
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("nomination").set({ status: "withdrawn", decided_by: viewer.userId, decided_at: clock.now() }).where("id", "=", nominationId).where("status", "=", "pending").execute();
        await audit(trx, { actorId: viewer.userId, action: "nomination.withdrawn", entityType: "nomination", entityId: nominationId, orgUnitId: n.unit_id });
      });
    },

    nomineeTemplateXlsx,

    /** Parse and check an uploaded nominee list; nothing is created until commit. */
    async previewNominationImport(viewer: Viewer, opts: { programmeCode: string; planItemId?: number | null; unitId?: number | null }, file: { name: string; bytes: Uint8Array }) {
      const units = await nominatingUnits(viewer);
      if (units.length === 0) throw new Forbidden("Chỉ bí thư chi bộ, cấp ủy cơ sở được gửi danh sách đề cử.");
      const progName = await programmeName(opts.programmeCode);
      const defaultUnit = opts.unitId ? units.find((u) => u.id === opts.unitId) : units.length === 1 ? units[0] : undefined;
      if (opts.unitId && !defaultUnit) throw new Forbidden("Đơn vị đã chọn không thuộc phạm vi của bạn.");
      if (opts.planItemId) await requirePlanItemFor(opts.planItemId, opts.programmeCode, (defaultUnit ?? units[0]!).path);
      const table = await readTable(file.name, file.bytes);
      const refs = units.map((u) => ({ id: u.id, name: u.name, abbreviation: u.abbreviation, shortName: u.short_name }));
      const { rows, issues } = validateNomineeTable(table, { units: refs, defaultUnit: defaultUnit ? refs.find((r) => r.id === defaultUnit.id)! : null, today: today() });

      // Match existing people; a live nomination or an open class of the programme is an error of that row.
      const matched: (NomineeRow & { personId: number | null; programmeCode: string; planItemId: number | null })[] = [];
      const rowIssues: RowIssue[] = [...issues];
      for (const r of rows) {
        const unit = units.find((u) => u.id === r.unitId)!;
        const m = await matchPerson(db, unit.path, r.fullName, r.birthDate);
        if (m) {
          const live = await liveNominationOf(db, m.id, opts.programmeCode);
          if (live) {
            rowIssues.push({ row: r.row, column: "Họ và tên", message: `${r.fullName} đã được ${live.unit_name} đề cử vào lớp ${progName} (${STATUS_LABELS[live.status]}); xóa dòng này.` });
            continue;
          }
          const enrolled = await enrolledOpen(db, m.id, opts.programmeCode);
          if (enrolled) {
            rowIssues.push({ row: r.row, column: "Họ và tên", message: `${r.fullName} đã có tên trong ${enrolled.name}; xóa dòng này.` });
            continue;
          }
        }
        matched.push({ ...r, personId: m?.id ?? null, programmeCode: opts.programmeCode, planItemId: opts.planItemId ?? null });
      }
      rowIssues.sort((a, b) => a.row - b.row);
      const year = opts.planItemId ? (await planItem(opts.planItemId)).year : Number(today().slice(0, 4));
      const checks = await checksFor(
        matched.map((r) => ({
          nominationId: null,
          classId: null,
          programmeCode: opts.programmeCode,
          year,
          person: { id: r.personId, full_name: r.fullName, birth_date: r.birthDate, education_level: r.education, party_status: r.partyStatus, position: r.position },
        })),
      );
      const batchId = newId();
      await db
        .insertInto("import_batch")
        .values({ id: batchId, kind: "nominations", created_by: viewer.userId, org_unit_id: (defaultUnit ?? units[0]!).id, file_name: file.name, rows: JSON.stringify(matched), issues: JSON.stringify(rowIssues) })
        .execute();
      return {
        batchId,
        fileName: file.name,
        programmeName: progName,
        totalRows: table.rows.length,
        issues: rowIssues,
        rows: matched.map((r, i) => ({ row: r.row, fullName: r.fullName, birthDate: r.birthDate, unitName: r.unitName, existing: r.personId !== null, checks: checks[i]!, verdict: verdict(checks[i]!) })),
      };
    },

    /** Creates the previewed nominations (and new people), all or nothing; refused while the file has errors. */
    async commitNominationImport(viewer: Viewer, batchId: string) {
      const batch = await db.selectFrom("import_batch").selectAll().where("id", "=", batchId).executeTakeFirst();
      if (!batch || batch.kind !== "nominations") throw new NotFound("Không tìm thấy lượt tải lên này; hãy tải tệp lên lại.");
      if (batch.created_by !== viewer.userId) throw new Forbidden("Lượt tải lên này do người khác tạo.");
      if (batch.status === "committed") throw new BadRequest("Danh sách này đã được gửi rồi.");
      const issues = batch.issues as unknown as RowIssue[];
      const rows = batch.rows as unknown as (NomineeRow & { personId: number | null; programmeCode: string; planItemId: number | null })[];
      if (issues.length > 0) throw new BadRequest("Tệp còn lỗi: hãy sửa các dòng được chỉ ra rồi tải lên lại. Chưa có đề cử nào được gửi.");
      if (rows.length === 0) throw new BadRequest("Không có dòng hợp lệ nào để gửi.");
      const units = await nominatingUnits(viewer);
      for (const r of rows) {
        const u = units.find((x) => x.id === r.unitId);
        if (!u || !canReach(viewer, NOMINATORS, u.path, { write: true })) throw new Forbidden(`Dòng ${r.row}: bạn không có quyền với đơn vị “${r.unitName}”.`);
      }
      const progName = await programmeName(rows[0]!.programmeCode);
      return db.transaction().execute(async (trx) => {
        const ids: number[] = [];
        for (const r of rows) {
          const unit = units.find((u) => u.id === r.unitId)!;
          // Matched again inside the transaction: the list may have changed since the preview.
          const m = r.personId ? { id: r.personId } : await matchPerson(trx, unit.path, r.fullName, r.birthDate);
          let personId = m?.id ?? null;
          if (!personId) {
            const p = await trx
              .insertInto("person")
              .values({ org_unit_id: r.unitId, full_name: r.fullName, birth_date: r.birthDate, gender: r.gender, ethnicity: r.ethnicity, education_level: r.education, party_status: r.partyStatus, admission_date: r.admissionDate, position: r.position, phone: r.phone })
              .returning("id")
              .executeTakeFirstOrThrow();
            personId = p.id;
          }
          const live = await liveNominationOf(trx, personId, r.programmeCode);
          if (live) throw new BadRequest(`Dòng ${r.row}: ${r.fullName} vừa được ${live.unit_name} đề cử vào lớp ${progName}; hãy tải tệp lên lại.`);
          const row = await trx
            .insertInto("nomination")
            .values({ person_id: personId, programme_code: r.programmeCode, unit_id: r.unitId, plan_item_id: r.planItemId, note: r.note, created_by: viewer.userId, import_batch_id: batchId })
            .returning("id")
            .executeTakeFirstOrThrow();
          ids.push(row.id);
        }
        await trx.updateTable("import_batch").set({ status: "committed", committed_at: clock.now() }).where("id", "=", batchId).execute();
        await audit(trx, { actorId: viewer.userId, action: "nominations.imported", entityType: "import_batch", entityId: batchId, orgUnitId: batch.org_unit_id, details: { fileName: batch.file_name, created: ids.length, programme: rows[0]!.programmeCode } });
        return ids.length;
      });
    },

    // ---- verification (organisation board) ------------------------------------------------

    async reviewQueue(viewer: Viewer, filter: { status?: NominationStatus | "all"; programmeCode?: string } = {}) {
      const roots = scopeRoots(viewer, BOARD);
      if (roots.length === 0) throw new Forbidden("Chỉ Ban Tổ chức được thẩm định danh sách đề cử.");
      let q = nominationQuery().where((eb) => eb.or(roots.map((r) => eb("u.path", "like", `${r}%`))));
      const status = filter.status ?? "pending";
      if (status !== "all") q = q.where("n.status", "=", status);
      if (filter.programmeCode) q = q.where("n.programme_code", "=", filter.programmeCode);
      return toViews(await q.limit(1000).execute());
    },

    /**
     * Approve or reject one nominee. Rejection needs a reason; approval needs every check
     * passed, or the soft ones overridden with a reason (audited). A hard failure
     * (already certified, wrong party status, same person nominated twice) cannot be approved.
     */
    async decide(viewer: Viewer, nominationId: number, input: { approve: boolean; reason?: string | null; overrides?: string[] }) {
      const n = await nominationQuery().where("n.id", "=", nominationId).executeTakeFirst();
      if (!n) throw new NotFound("Không tìm thấy đề cử.");
      if (!canReach(viewer, BOARD, n.unit_path, { write: true })) throw new Forbidden("Người này không thuộc phạm vi thẩm định của bạn.");
      if (n.status !== "pending") throw new BadRequest(`Đề cử của ${n.full_name} đã được xử lý (${STATUS_LABELS[n.status]}).`);
      const reason = input.reason?.trim() || null;
      const [view] = await toViews([n]);
      const checks = view!.checks;
      if (!input.approve) {
        if (!reason || reason.length < 5) throw new BadRequest(`Hãy ghi lý do không duyệt ${n.full_name} (ít nhất 5 ký tự); đơn vị sẽ thấy lý do này.`);
      } else {
        const failed = checks.filter((c) => c.status === "fail");
        if (failed.length) throw new BadRequest(`Không thể duyệt ${n.full_name}: ${failed.map((c) => `${c.label}: ${c.message}`).join(" ")}`);
        const overrides = (input.overrides ?? []).filter((k): k is CheckKey => (OVERRIDABLE as readonly string[]).includes(k));
        const needed = checks.filter((c) => c.status === "needs_override" && !overrides.includes(c.key));
        if (needed.length) throw new BadRequest(`${n.full_name} cần xét ngoại lệ: ${needed.map((c) => c.label.toLowerCase()).join(", ")}. Đánh dấu ngoại lệ và ghi lý do.`);
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
      const list = await programmes();
      return Promise.all(list.map(async (p) => ({ code: p.code, name: p.name, rules: await ruleSetFor(p.code, year), canEdit: hasRole(viewer, RULE_EDITORS) })));
    },

    async saveRuleSet(viewer: Viewer, code: string, rules: unknown) {
      if (!viewer.roles.some((g) => (g.role === "admin" || RULE_EDITORS.includes(g.role)) && !g.readOnly)) throw new Forbidden("Chỉ Ban Tổ chức hoặc quản trị hệ thống được sửa điều kiện dự học.");
      await programmeName(code);
      const r = parse(ruleSetSchema, rules);
      await db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom("eligibility_rule_set").select("rules").where("programme_code", "=", code).executeTakeFirst();
        await trx
          .insertInto("eligibility_rule_set")
          .values({ programme_code: code, rules: JSON.stringify(r), updated_by: viewer.userId })
          .onConflict((oc) => oc.column("programme_code").doUpdateSet({ rules: JSON.stringify(r), updated_by: viewer.userId, updated_at: clock.now() }))
          .execute();
        await audit(trx, { actorId: viewer.userId, action: "eligibility.rules_changed", entityType: "programme", entityId: code, details: { before: before?.rules ?? null, after: r } });
      });
    },

    // ---- opening a class (centre) ---------------------------------------------------------

    async openingView(viewer: Viewer, planItemId: number) {
      const item = await planItem(planItemId);
      const centre = await centreOf(item.centre_id);
      if (!canReach(viewer, OPENERS, centre.path)) throw new Forbidden("Chỉ cán bộ trung tâm được mở lớp của trung tâm mình.");
      const rows = await nominationQuery()
        .where("n.programme_code", "=", item.programme_code)
        .where("n.status", "=", "approved")
        .where("n.class_id", "is", null)
        .where("u.path", "like", `${centre.path}%`)
        .execute();
      const approved = await toViews(rows);
      const classes = await db
        .selectFrom("training_class")
        .select(["id", "name", "starts_on", "ends_on", "plan_item_id"])
        .where("centre_id", "=", centre.id)
        .where("programme_code", "=", item.programme_code)
        .where("status", "=", "open")
        .orderBy("id", "desc")
        .execute();
      return {
        item: { id: item.id, label: item.label, year: item.year, month: item.month, targetSize: item.target_size, intendedGroup: item.intended_group, programmeCode: item.programme_code, programmeName: await programmeName(item.programme_code) },
        centre: { id: centre.id, name: centre.name },
        approved: approved.map((a) => ({ ...a, forThisItem: a.planItemId === item.id || a.planItemId === null })),
        classes,
      };
    },

    /**
     * Opens a class from a plan item (or adds to an open class of the same programme):
     * enrols the chosen approved nominees, links their nominations, creates trainee
     * accounts for people without one, and numbers the decision to open the class.
     */
    async openClass(viewer: Viewer, planItemId: number, input: OpenClassInput) {
      const v = parse(openSchema, input);
      const item = await planItem(planItemId);
      const centre = await centreOf(item.centre_id);
      if (!canReach(viewer, OPENERS, centre.path, { write: true })) throw new Forbidden("Chỉ cán bộ trung tâm được mở lớp của trung tâm mình.");
      const noms = await db
        .selectFrom("nomination as n")
        .innerJoin("person as p", "p.id", "n.person_id")
        .innerJoin("org_unit as u", "u.id", "n.unit_id")
        .select(["n.id", "n.status", "n.class_id", "n.programme_code", "n.person_id", "p.full_name", "p.org_unit_id", "u.path"])
        .where("n.id", "in", v.nominationIds)
        .execute();
      if (noms.length !== new Set(v.nominationIds).size) throw new NotFound("Có đề cử không còn tồn tại; hãy tải lại trang.");
      for (const n of noms) {
        if (n.status !== "approved" || n.class_id !== null) throw new BadRequest(`${n.full_name}: chỉ xếp lớp được người đã được Ban Tổ chức duyệt và chưa có lớp.`);
        if (n.programme_code !== item.programme_code) throw new BadRequest(`${n.full_name} được đề cử cho chương trình khác.`);
        if (!n.path.startsWith(centre.path)) throw new Forbidden(`${n.full_name} không thuộc phạm vi của trung tâm.`);
      }
      // Hash outside the transaction (argon2 is the slow part); used only for new accounts.
      const hashes = await Promise.all(noms.map(() => hashPassword(generatePassword(16))));
      const result = await db.transaction().execute(async (trx) => {
        let classId: number;
        let opened = false;
        if (v.classId) {
          const c = await trx.selectFrom("training_class").selectAll().where("id", "=", v.classId).executeTakeFirst();
          if (!c || c.centre_id !== centre.id || c.programme_code !== item.programme_code || c.status !== "open") throw new BadRequest("Lớp đã chọn không phải lớp đang mở của chương trình này tại trung tâm.");
          classId = c.id;
          if (!c.plan_item_id) await trx.updateTable("training_class").set({ plan_item_id: item.id }).where("id", "=", c.id).execute();
        } else {
          const c = await trx
            .insertInto("training_class")
            .values({ centre_id: centre.id, programme_code: item.programme_code, name: v.name!, cohort_label: v.cohortLabel || `${item.label} năm ${item.year}`, venue: v.venue!, starts_on: v.startsOn!, ends_on: v.endsOn!, plan_item_id: item.id })
            .returning("id")
            .executeTakeFirstOrThrow();
          classId = c.id;
          opened = true;
        }
        await trx
          .insertInto("class_enrolment")
          .values(noms.map((n) => ({ class_id: classId, person_id: n.person_id })))
          .onConflict((oc) => oc.columns(["class_id", "person_id"]).doNothing())
          .execute();
        await trx.updateTable("nomination").set({ class_id: classId }).where("id", "in", v.nominationIds).execute();
        const accounts = await ensureAccounts(trx, noms.map((n) => ({ id: n.person_id, full_name: n.full_name, org_unit_id: n.org_unit_id })), hashes);
        const klass = await classFor(viewer, classId, OPENERS, { write: true }, trx);
        const decision = await classDocumentNumber(trx, viewer, klass, DOC_TYPES.decision.abbr);
        await audit(trx, {
          actorId: viewer.userId,
          action: opened ? "class.opened" : "class.trainees_added",
          entityType: "training_class",
          entityId: classId,
          orgUnitId: centre.org_unit_id,
          details: { planItemId: item.id, nominations: v.nominationIds, accountsCreated: accounts, decision: decision.label },
        });
        return { classId, enrolled: noms.length, accountsCreated: accounts, decisionLabel: decision.label };
      });
      // New trainees change the class's enrolled count on the dashboard (decision 019).
      await deps.figures?.classChanged(result.classId);
      return result;
    },

    // ---- class papers -------------------------------------------------------------------------

    async classPapers(viewer: Viewer, classId: number) {
      const c = await classFor(viewer, classId, OPENERS);
      const trainees = await traineesOf(classId);
      const docs = await db.selectFrom("class_document").select(["doc_type", "label", "issued_on"]).where("class_id", "=", classId).execute();
      return {
        klass: { id: c.id, name: c.name, programmeName: c.programme_name, cohortLabel: c.cohort_label, venue: c.venue, startsOn: c.starts_on, endsOn: c.ends_on, centre: c.centre_name },
        documents: docs,
        // The date the decision carries (or will carry when first printed), editable on the page.
        decisionDate: docs.find((d) => d.doc_type === DOC_TYPES.decision.abbr)?.issued_on ?? defaultDecisionDate(today(), c.starts_on),
        trainees: trainees.map((t) => ({ personId: t.id, fullName: t.full_name, birthDate: t.birth_date, unitName: t.unit_name, username: t.username, awaitingFirstLogin: t.user_id ? !!t.must_change_password : null })),
        // The records the decision and the letters flag (a bad or blank birth date): named on the page to fix.
        birthDatesToFix: birthDatesToFix(
          trainees.map((t) => ({ personId: t.id, fullName: t.full_name, unitName: t.unit_name, birthDate: t.birth_date })),
          vnDay(clock.now()),
        ),
      };
    },

    async decisionFile(viewer: Viewer, classId: number, format: "pdf" | "docx") {
      const c = await classFor(viewer, classId, OPENERS);
      const trainees = await traineesOf(classId);
      if (trainees.length === 0) throw new BadRequest("Lớp chưa có học viên.");
      const doc = await db.transaction().execute(async (trx) => classDocumentNumber(trx, viewer, c, DOC_TYPES.decision.abbr));
      const party = openingDecision(issuerOf(c), doc.no, doc.issued_on, factsOf(c), trainees.map(traineeFacts));
      const bytes = format === "pdf" ? await renderPartyDocumentPdf(party) : await renderPartyDocumentDocx(party);
      return { bytes, fileName: `quyet-dinh-mo-lop-${fileSlug(c.name)}.${format}`, label: doc.label };
    },

    /**
     * Changes the date printed on the decision to open the class (the centre signs it on
     * a day of its own). Numbers the decision if it has none yet; audited with the old date.
     */
    async setDecisionDate(viewer: Viewer, classId: number, date: string) {
      const c = await classFor(viewer, classId, OPENERS, { write: true });
      const problem = decisionDateProblem(date, c.starts_on, today());
      if (problem) throw new BadRequest(problem);
      await db.transaction().execute(async (trx) => {
        const doc = await classDocumentNumber(trx, viewer, c, DOC_TYPES.decision.abbr);
        await trx.updateTable("class_document").set({ issued_on: date }).where("class_id", "=", c.id).where("doc_type", "=", DOC_TYPES.decision.abbr).execute();
        await audit(trx, { actorId: viewer.userId, action: "class.decision_date_changed", entityType: "training_class", entityId: c.id, orgUnitId: c.centre_unit_id, details: { label: doc.label, before: doc.issued_on, after: date } });
      });
      return { date };
    },

    async traineeListXlsx(viewer: Viewer, classId: number) {
      const c = await classFor(viewer, classId, CLASS_VIEWERS);
      const trainees = await traineesOf(classId);
      const ExcelJS = (await import("exceljs")).default;
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("Danh sách học viên");
      ws.addRow([c.name.toLocaleUpperCase("vi")]).font = { bold: true };
      ws.addRow([`${c.programme_name}${c.cohort_label ? ` — ${c.cohort_label}` : ""}${c.venue ? ` — ${c.venue}` : ""}`]);
      ws.addRow([]);
      const header = ws.addRow(["TT", "Họ và tên", "Ngày sinh", "Đơn vị", "Tình trạng đảng viên", "Tên đăng nhập"]);
      header.font = { bold: true };
      trainees.forEach((t, i) => ws.addRow([i + 1, t.full_name, t.birth_date ? t.birth_date.split("-").reverse().join("/") : "", t.unit_name, PARTY_STATUS_LABELS[t.party_status], t.username ?? ""]));
      [6, 28, 14, 34, 22, 16].forEach((w, i) => (ws.getColumn(i + 1).width = w));
      return { bytes: new Uint8Array(await wb.xlsx.writeBuffer()), fileName: `danh-sach-hoc-vien-${fileSlug(c.name)}.xlsx` };
    },

    /**
     * Call-up letters for the class (or one trainee). Trainees whose account still awaits
     * its first login get a fresh initial password, printed only in this file and stored
     * only as a hash (audited); reprinting regenerates. People enrolled without an account
     * get one now. Requires the explicit confirmation the page asks for.
     */
    async callUpLetters(viewer: Viewer, classId: number, opts: { personId?: number | null; format: "pdf" | "docx"; confirm: boolean; origin: string }) {
      const c = await classFor(viewer, classId, OPENERS, { write: true });
      if (!opts.confirm) throw new BadRequest("Hãy xác nhận việc tạo mật khẩu ban đầu mới trước khi in giấy triệu tập.");
      let trainees = await traineesOf(classId);
      if (opts.personId) trainees = trainees.filter((t) => t.id === opts.personId);
      if (trainees.length === 0) throw new BadRequest(opts.personId ? "Người này không có tên trong lớp." : "Lớp chưa có học viên.");

      const withoutAccount = trainees.filter((t) => !t.user_id);
      const fresh = new Map<number, string>();
      for (const t of trainees) if (!t.user_id || t.must_change_password) fresh.set(t.id, generatePassword());
      const hashes = new Map(await Promise.all([...fresh].map(async ([id, pw]) => [id, await hashPassword(pw)] as const)));
      const numbered = await db.transaction().execute(async (trx) => {
        if (withoutAccount.length) await ensureAccounts(trx, withoutAccount.map((t) => ({ id: t.id, full_name: t.full_name, org_unit_id: t.org_unit_id })), withoutAccount.map((t) => hashes.get(t.id)!));
        for (const t of trainees.filter((x) => x.user_id && fresh.has(x.id))) {
          await trx.updateTable("user_account").set({ password_hash: hashes.get(t.id)! }).where("person_id", "=", t.id).where("must_change_password", "=", true).execute();
        }
        const doc = await classDocumentNumber(trx, viewer, c, DOC_TYPES.callUp.abbr);
        await audit(trx, {
          actorId: viewer.userId,
          action: "callup.printed",
          entityType: "training_class",
          entityId: classId,
          orgUnitId: c.centre_unit_id,
          details: { format: opts.format, trainees: trainees.map((t) => t.id), passwordsIssuedFor: [...fresh.keys()], number: doc.label },
        });
        return doc;
      });
      // Usernames of accounts created just now.
      const after = await traineesOf(classId);
      const base = (config.PUBLIC_URL ?? opts.origin).replace(/\/$/, "");
      const letters = trainees.map((t) => {
        const username = after.find((a) => a.id === t.id)!.username!;
        const account = { username, password: fresh.get(t.id) ?? null, loginUrl: `${base}/dang-nhap?u=${encodeURIComponent(username)}` };
        return { t, account, doc: callUpLetter(issuerOf(c), numbered.no, numbered.issued_on, factsOf(c), traineeFacts(t), account, { accountInBody: opts.format === "docx" }) };
      });
      const one = letters.length === 1 && opts.personId;
      const name = one ? `giay-trieu-tap-${fileSlug(letters[0]!.t.full_name)}` : `giay-trieu-tap-${fileSlug(c.name)}`;
      if (opts.format === "pdf") {
        return { bytes: await renderCallUpLettersPdf(letters.map((l) => ({ doc: l.doc, account: l.account }))), fileName: `${name}.pdf`, contentType: "application/pdf", issued: fresh.size };
      }
      if (one) return { bytes: await renderPartyDocumentDocx(letters[0]!.doc), fileName: `${name}.docx`, contentType: DOCX, issued: fresh.size };
      const zip = new JSZip();
      letters.forEach((l, i) => zip.file(`${String(i + 1).padStart(3, "0")}-${fileSlug(l.t.full_name)}.docx`, renderPartyDocumentDocx(l.doc)));
      return { bytes: await zip.generateAsync({ type: "uint8array" }), fileName: `${name}-docx.zip`, contentType: "application/zip", issued: fresh.size };
    },

    async seating(viewer: Viewer, classId: number, perRow: number) {
      const c = await classFor(viewer, classId, CLASS_VIEWERS);
      const trainees = await traineesOf(classId);
      const rows = seatingPlan(trainees, (t) => t.full_name, { perRow });
      return {
        klass: { id: c.id, name: c.name, venue: c.venue, centre: c.centre_name, startsOn: c.starts_on, endsOn: c.ends_on },
        count: trainees.length,
        perRow: rows[0]?.length ?? perRow,
        rows: rows.map((r) => r.map((s) => ({ label: s.label, name: s.trainee?.full_name ?? null, unit: s.trainee?.unit_name ?? null }))),
      };
    },
  };
}

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export type ClassPlanService = ReturnType<typeof createClassPlanService>;
export type { Database, Clock };
