// Over 500 lines (762): Prettier's one-time reformat (decision 034) wrapped the former 526 lines. It is the next
// split of issue #17 (lesson versions and review, study progress, class outline as modules of one job; decision 028).
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Database } from "../db";
import type { Clock } from "../clock";
import type { Role } from "../db/schema";
import { audit } from "../audit/log";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { hasRole, scopeRoots, canReach, type Viewer } from "../auth/scope";
import { compactDiff, diffLines } from "../rules/line-diff";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import { classPlace } from "../classes/class-place";
import { MdxCache } from "./compile";
import { checkLessonBody } from "./grammar";
import { readProgrammes } from "./files";
import { checkPeriods, examGate, MAX_HEARTBEAT_SECONDS, parseExamRequirement } from "./rules";
import type { ProgrammeManifest } from "./schema";
import { studyTimeMessage } from "./study-time";
import { parseLessonSource, type ContentProblem } from "./source";

/** Staff who may read every programme's lessons (content is national, not per unit). */
const READERS: Role[] = ["lecturer", "centre_admin", "committee", "organisation_board", "proctor", "unit_secretary"];
const AUTHORS: Role[] = ["lecturer"];
const APPROVERS: Role[] = ["committee"];
const CLASS_STAFF: Role[] = ["centre_admin", "lecturer"];

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

export interface LessonSummary {
  id: number;
  slug: string;
  number: number;
  title: string;
  periods: number;
  unconfirmed: boolean;
  summary: string;
}

export function createCurriculaService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;
  const cache = new MdxCache(db);
  // Versions never change once stored, so their parsed text is kept by version id (the
  // least recently used go past the bound, decision 029);
  // manifests change only through syncFromFiles, which clears their memo.
  const parsedVersions = new LRUCache<number, ReturnType<typeof parseLessonSource>>({ max: 2000 });
  const manifests = new Map<string, ProgrammeManifest>();

  async function parsedVersion(versionId: number) {
    let parsed = parsedVersions.get(versionId);
    if (!parsed) {
      const row = await db.selectFrom("lesson_version").select("source").where("id", "=", versionId).executeTakeFirstOrThrow();
      parsed = parseLessonSource(row.source, String(versionId));
      parsedVersions.set(versionId, parsed);
    }
    return parsed;
  }

  async function manifestOf(code: string): Promise<ProgrammeManifest> {
    const memo = manifests.get(code);
    if (memo) return memo;
    const row = await db.selectFrom("programme").select("manifest").where("code", "=", code).executeTakeFirst();
    if (!row) throw new NotFound("Không có chương trình này.");
    manifests.set(code, row.manifest);
    return row.manifest;
  }

  /** A class with its centre, refused unless one of these roles reaches its centre. */
  async function classWithin(viewer: Viewer, classId: number, roles: Role[]) {
    const klass = await classPlace(db, classId);
    if (!canReach(viewer, roles, klass.path)) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
    return klass;
  }

  async function publishedLessons(code: string): Promise<LessonSummary[]> {
    const rows = await db
      .selectFrom("lesson as l")
      .innerJoin("lesson_version as v", "v.id", "l.published_version_id")
      .select(["l.id", "l.slug", "l.position", "v.id as version_id", "v.title", "v.periods"])
      .where("l.programme_code", "=", code)
      .orderBy("l.position")
      .execute();
    const out: LessonSummary[] = [];
    for (const r of rows) {
      const fm = (await parsedVersion(r.version_id)).frontmatter;
      out.push({
        id: r.id,
        slug: r.slug,
        number: fm?.number ?? r.position,
        title: r.title,
        periods: r.periods,
        unconfirmed: fm?.unconfirmed ?? false,
        summary: fm?.summary ?? "",
      });
    }
    return out;
  }

  /** Programmes whose lessons the viewer may read: staff all, trainees those of their classes. */
  async function programmeCodesFor(viewer: Viewer): Promise<string[]> {
    if (hasRole(viewer, READERS))
      return (await db.selectFrom("programme").select("code").orderBy("code", "desc").execute()).map((r) => r.code);
    if (!viewer.personId) return [];
    const rows = await db
      .selectFrom("class_enrolment as e")
      .innerJoin("training_class as c", "c.id", "e.class_id")
      .select("c.programme_code")
      .distinct()
      .where("e.person_id", "=", viewer.personId)
      .execute();
    return rows.map((r) => r.programme_code);
  }

  async function requireProgramme(viewer: Viewer, code: string) {
    if (!(await programmeCodesFor(viewer)).includes(code)) throw new Forbidden("Bạn chưa được ghi danh vào lớp học chương trình này.");
  }

  async function progressOf(userId: string, lessonIds: number[]) {
    if (!lessonIds.length) return new Map<number, { opened: boolean; seconds: number; completed: boolean }>();
    const rows = await db
      .selectFrom("lesson_progress")
      .selectAll()
      .where("user_id", "=", userId)
      .where("lesson_id", "in", lessonIds)
      .execute();
    return new Map(rows.map((r) => [r.lesson_id, { opened: true, seconds: r.seconds_spent, completed: r.completed_at !== null }]));
  }

  /** Validates a lesson text as a whole: frontmatter, components, MDX, and the programme's period total. */
  async function validate(lessonId: number, source: string): Promise<{ problems: ContentProblem[]; code?: string }> {
    const lesson = await db.selectFrom("lesson").selectAll().where("id", "=", lessonId).executeTakeFirstOrThrow();
    const parsed = parseLessonSource(source, "bài giảng");
    const problems = [...parsed.problems];
    let code: string | undefined;
    // The cache checks the closed grammar before compiling or reusing anything (decision 016).
    const compiled = await cache.get(parsed.body);
    if (!compiled.ok)
      for (const p of compiled.problems) problems.push({ file: "bài giảng", line: parsed.bodyLineOffset + p.line, message: p.message });
    else code = compiled.code;
    if (parsed.frontmatter) {
      if (parsed.frontmatter.number !== lesson.position)
        problems.push({ file: "bài giảng", line: 2, message: `number phải là ${lesson.position} (vị trí của bài trong chương trình).` });
      const manifest = await manifestOf(lesson.programme_code);
      const others = (await publishedLessons(lesson.programme_code)).filter((l) => l.id !== lessonId);
      const check = checkPeriods(
        [
          ...others.map((l) => ({ label: l.title, periods: l.periods })),
          { label: parsed.frontmatter.title, periods: parsed.frontmatter.periods },
        ],
        manifest.activities.map((a) => ({ label: a.title, periods: a.periods })),
        manifest.totalPeriods,
        manifest.periodsPerSession,
      );
      for (const p of check.problems) problems.push({ file: "bài giảng", line: 4, message: p });
    }
    return { problems, code };
  }

  return {
    cache,

    /** Whether the viewer may study (read) a programme's lessons. */
    async canRead(viewer: Viewer, code: string): Promise<boolean> {
      return (await programmeCodesFor(viewer)).includes(code);
    },

    /**
     * Loads content/curricula into the database. A new lesson file becomes version 1,
     * published; a changed file becomes a new version waiting for approval, so a
     * deploy never silently replaces what the committee approved.
     */
    async syncFromFiles(root?: string): Promise<{ created: number; submitted: number }> {
      const { programmes, problems } = readProgrammes(root);
      if (problems.length)
        throw new Error(
          `Nội dung chương trình có lỗi (chạy curricula:check): ${problems[0]!.file}:${problems[0]!.line} ${problems[0]!.message}`,
        );
      let created = 0;
      let submitted = 0;
      manifests.clear();
      await db.transaction().execute(async (trx) => {
        for (const p of programmes) {
          const m = p.manifest!;
          const manifestJson = JSON.stringify(m);
          await trx
            .insertInto("programme")
            .values({ code: m.code, name: m.name, manifest: manifestJson, manifest_hash: sha(manifestJson) })
            .onConflict((oc) =>
              oc
                .column("code")
                .doUpdateSet({ name: m.name, manifest: manifestJson, manifest_hash: sha(manifestJson), updated_at: clock.now() }),
            )
            .execute();
          for (const l of p.lessons) {
            const fm = l.frontmatter!;
            const hash = sha(l.source);
            let lesson = await trx
              .selectFrom("lesson")
              .selectAll()
              .where("programme_code", "=", m.code)
              .where("slug", "=", l.slug)
              .executeTakeFirst();
            if (!lesson) {
              lesson = await trx
                .insertInto("lesson")
                .values({ programme_code: m.code, slug: l.slug, position: l.position })
                .returningAll()
                .executeTakeFirstOrThrow();
            }
            const lastFromFile = await trx
              .selectFrom("lesson_version")
              .select(["source_hash"])
              .where("lesson_id", "=", lesson.id)
              .where("origin", "=", "file")
              .orderBy("version_no", "desc")
              .limit(1)
              .executeTakeFirst();
            if (lastFromFile?.source_hash === hash) continue;
            // A new or changed file is checked before it is stored (decision 016): a file
            // version 1 is published without review, so a hostile file must stop the load.
            const refused = checkLessonBody(l.body).problems[0];
            if (refused)
              throw new Error(
                `Nội dung chương trình có lỗi (chạy curricula:check): ${l.file}:${l.bodyLineOffset + refused.line} ${refused.message}`,
              );
            const last = await trx
              .selectFrom("lesson_version")
              .select(({ fn }) => fn.max("version_no").as("n"))
              .where("lesson_id", "=", lesson.id)
              .executeTakeFirst();
            const first = lesson.published_version_id === null;
            const v = await trx
              .insertInto("lesson_version")
              .values({
                lesson_id: lesson.id,
                version_no: Number(last?.n ?? 0) + 1,
                source: l.source,
                source_hash: hash,
                title: fm.title,
                periods: fm.periods,
                status: first ? "published" : "submitted",
                origin: "file",
                submitted_at: clock.now(),
              })
              .returning("id")
              .executeTakeFirstOrThrow();
            if (first) {
              await trx.updateTable("lesson").set({ published_version_id: v.id }).where("id", "=", lesson.id).execute();
              created++;
            } else submitted++;
          }
        }
      });
      return { created, submitted };
    },

    /** Compiles every published lesson into the cache, so the first trainee never waits. */
    async warmCache(): Promise<number> {
      const rows = await db
        .selectFrom("lesson as l")
        .select(["l.published_version_id"])
        .where("l.published_version_id", "is not", null)
        .execute();
      for (const r of rows) await cache.get((await parsedVersion(r.published_version_id!)).body);
      return rows.length;
    },

    async programmesFor(viewer: Viewer) {
      const codes = await programmeCodesFor(viewer);
      const out = [];
      for (const code of codes) {
        const m = await manifestOf(code);
        const lessons = await publishedLessons(code);
        const progress = await progressOf(
          viewer.userId,
          lessons.map((l) => l.id),
        );
        out.push({
          code,
          name: m.name,
          shortName: m.shortName ?? m.name,
          totalPeriods: m.totalPeriods,
          lessons: lessons.length,
          completed: lessons.filter((l) => progress.get(l.id)?.completed).length,
        });
      }
      return out;
    },

    async programmeOutline(viewer: Viewer, code: string) {
      await requireProgramme(viewer, code);
      const m = await manifestOf(code);
      const lessons = await publishedLessons(code);
      const progress = await progressOf(
        viewer.userId,
        lessons.map((l) => l.id),
      );
      const completed = new Set(lessons.filter((l) => progress.get(l.id)?.completed).map((l) => l.number));
      const klass = viewer.personId
        ? await db
            .selectFrom("class_enrolment as e")
            .innerJoin("training_class as c", "c.id", "e.class_id")
            .select(["c.name", "c.exam_requires_lessons"])
            .where("e.person_id", "=", viewer.personId)
            .where("c.programme_code", "=", code)
            .orderBy("c.id", "desc")
            .executeTakeFirst()
        : undefined;
      const gate = klass
        ? examGate(
            parseExamRequirement(
              klass.exam_requires_lessons,
              lessons.map((l) => l.number),
            ),
            completed,
          )
        : null;
      return {
        manifest: m,
        className: klass?.name ?? null,
        periods: checkPeriods(
          lessons.map((l) => ({ label: l.title, periods: l.periods })),
          m.activities.map((a) => ({ label: a.title, periods: a.periods })),
          m.totalPeriods,
          m.periodsPerSession,
        ),
        lessons: lessons.map((l) => ({ ...l, progress: progress.get(l.id) ?? { opened: false, seconds: 0, completed: false } })),
        examGate: gate,
      };
    },

    /** The published lesson, compiled (from the cache), and the viewer's progress; records the visit. */
    async lessonPage(viewer: Viewer, code: string, slug: string) {
      await requireProgramme(viewer, code);
      const lesson = await db
        .selectFrom("lesson as l")
        .innerJoin("lesson_version as v", "v.id", "l.published_version_id")
        .select(["l.id", "l.position", "v.version_no", "v.id as version_id"])
        .where("l.programme_code", "=", code)
        .where("l.slug", "=", slug)
        .executeTakeFirst();
      if (!lesson) throw new NotFound("Không có bài học này.");
      const parsed = await parsedVersion(lesson.version_id);
      const compiled = await cache.get(parsed.body);
      if (!compiled.ok)
        throw new Error(
          `Published lesson ${code}/${slug} does not pass the lesson grammar: line ${compiled.problems[0]?.line}: ${compiled.problems[0]?.message}`,
        );
      const now = clock.now();
      await db
        .insertInto("lesson_progress")
        .values({ user_id: viewer.userId, lesson_id: lesson.id, first_opened_at: now, last_seen_at: now })
        .onConflict((oc) => oc.columns(["user_id", "lesson_id"]).doUpdateSet({ last_seen_at: now }))
        .execute();
      const all = await db
        .selectFrom("lesson as l")
        .innerJoin("lesson_version as v", "v.id", "l.published_version_id")
        .select(["l.id", "l.slug", "l.position as number", "v.title"])
        .where("l.programme_code", "=", code)
        .orderBy("l.position")
        .execute();
      const idx = all.findIndex((l) => l.id === lesson.id);
      const progress = (await progressOf(viewer.userId, [lesson.id])).get(lesson.id)!;
      return {
        lessonId: lesson.id,
        version: lesson.version_no,
        frontmatter: parsed.frontmatter!,
        code: compiled.code,
        cache: compiled.from,
        programmeName: (await manifestOf(code)).name,
        minStudyMinutes: (await manifestOf(code)).minStudyMinutes,
        progress,
        prev: idx > 0 ? { slug: all[idx - 1]!.slug, title: all[idx - 1]!.title, number: all[idx - 1]!.number } : null,
        next: idx < all.length - 1 ? { slug: all[idx + 1]!.slug, title: all[idx + 1]!.title, number: all[idx + 1]!.number } : null,
      };
    },

    async recordStudy(viewer: Viewer, lessonId: number, action: { heartbeatSeconds?: number; complete?: boolean; undo?: boolean }) {
      const lesson = await db.selectFrom("lesson").select(["programme_code"]).where("id", "=", lessonId).executeTakeFirst();
      if (!lesson) throw new NotFound("Không có bài học này.");
      await requireProgramme(viewer, lesson.programme_code);
      const now = clock.now();
      if (action.complete) {
        // The minimum study time, measured from the first opening recorded here (never the browser's clock).
        const row = await db
          .selectFrom("lesson_progress")
          .select(["first_opened_at", "completed_at"])
          .where("user_id", "=", viewer.userId)
          .where("lesson_id", "=", lessonId)
          .executeTakeFirst();
        if (!row?.completed_at) {
          const problem = studyTimeMessage(
            row ? new Date(row.first_opened_at) : null,
            now,
            (await manifestOf(lesson.programme_code)).minStudyMinutes,
          );
          if (problem) throw new BadRequest(problem);
        }
      }
      const seconds = Math.max(0, Math.min(MAX_HEARTBEAT_SECONDS, Math.round(action.heartbeatSeconds ?? 0)));
      await db
        .insertInto("lesson_progress")
        .values({
          user_id: viewer.userId,
          lesson_id: lessonId,
          first_opened_at: now,
          last_seen_at: now,
          seconds_spent: seconds,
          completed_at: action.complete ? now : null,
        })
        .onConflict((oc) =>
          oc.columns(["user_id", "lesson_id"]).doUpdateSet((eb) => ({
            last_seen_at: now,
            seconds_spent: eb("lesson_progress.seconds_spent", "+", seconds),
            completed_at: action.undo
              ? null
              : action.complete
                ? eb.fn.coalesce("lesson_progress.completed_at", eb.val(now))
                : eb.ref("lesson_progress.completed_at"),
          })),
        )
        .execute();
    },

    /** Classes whose self-study a centre admin or lecturer may follow. */
    async classesFor(viewer: Viewer) {
      const roots = scopeRoots(viewer, CLASS_STAFF);
      if (!roots.length) return [];
      return db
        .selectFrom("training_class as c")
        .innerJoin("training_centre as t", "t.id", "c.centre_id")
        .innerJoin("org_unit as o", "o.id", "t.org_unit_id")
        .select(["c.id", "c.name", "c.programme_code", "c.starts_on", "c.ends_on", "t.name as centre_name"])
        .select((eb) =>
          eb.selectFrom("class_enrolment as e").select(eb.fn.countAll<number>().as("n")).whereRef("e.class_id", "=", "c.id").as("trainees"),
        )
        .where((eb) => eb.or(roots.map((r) => eb("o.path", "like", `${r}%`))))
        .orderBy("c.id", "desc")
        .execute();
    },

    /**
     * A class and its programme's lesson numbers, for the class's test list: proctors open
     * that list (to give extra time) but never see who has studied what.
     */
    async classOutline(viewer: Viewer, classId: number) {
      const klass = await classWithin(viewer, classId, [...CLASS_STAFF, "proctor"]);
      const lessons = await publishedLessons(klass.programme_code);
      return {
        klass: { id: klass.id, name: klass.name, programmeCode: klass.programme_code, centre: klass.centre_name },
        lessons: lessons.map((l) => l.number),
      };
    },

    /** Who has studied what in a class: trainees × lessons, for the centre. */
    async classProgress(viewer: Viewer, classId: number) {
      const klass = await classWithin(viewer, classId, CLASS_STAFF);
      const lessons = await publishedLessons(klass.programme_code);
      const trainees = await db
        .selectFrom("class_enrolment as e")
        .innerJoin("person as p", "p.id", "e.person_id")
        .innerJoin("org_unit as u", "u.id", "p.org_unit_id")
        .leftJoin("user_account as a", "a.person_id", "p.id")
        .select(["p.id", "p.full_name", "u.name as unit_name", "a.id as user_id"])
        .where("e.class_id", "=", classId)
        .execute();
      const userIds = trainees.map((t) => t.user_id).filter((x): x is string => !!x);
      const rows =
        userIds.length && lessons.length
          ? await db
              .selectFrom("lesson_progress")
              .selectAll()
              .where("user_id", "in", userIds)
              .where(
                "lesson_id",
                "in",
                lessons.map((l) => l.id),
              )
              .execute()
          : [];
      const byUser = new Map<string, typeof rows>();
      for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
      return {
        klass: { id: klass.id, name: klass.name, centre: klass.centre_name, programme: klass.programme_code },
        lessons: lessons.map((l) => ({ id: l.id, number: l.number, title: l.title })),
        trainees: sortByVietnameseName(trainees, (t) => t.full_name).map((t) => {
          const mine = new Map((byUser.get(t.user_id ?? "") ?? []).map((r) => [r.lesson_id, r]));
          const cells = lessons.map((l) => {
            const r = mine.get(l.id);
            return {
              state: r?.completed_at ? ("done" as const) : r ? ("opened" as const) : ("none" as const),
              minutes: Math.round((r?.seconds_spent ?? 0) / 60),
            };
          });
          return {
            personId: t.id,
            name: t.full_name,
            unit: t.unit_name,
            hasAccount: !!t.user_id,
            cells,
            completed: cells.filter((c) => c.state === "done").length,
          };
        }),
      };
    },

    // ——— Authoring and approval ———

    async authoringList(viewer: Viewer) {
      if (!hasRole(viewer, [...AUTHORS, ...APPROVERS])) throw new Forbidden("Chỉ giảng viên và Ban Tuyên giáo soạn, duyệt bài giảng.");
      const rows = await db
        .selectFrom("lesson as l")
        .innerJoin("programme as p", "p.code", "l.programme_code")
        .leftJoin("lesson_version as pub", "pub.id", "l.published_version_id")
        .select(["l.id", "l.slug", "l.position", "l.programme_code", "p.name as programme_name", "pub.title", "pub.version_no"])
        .select((eb) =>
          eb
            .selectFrom("lesson_version as v")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("v.lesson_id", "=", "l.id")
            .where("v.status", "=", "submitted")
            .as("pending"),
        )
        .orderBy("l.programme_code", "desc")
        .orderBy("l.position")
        .execute();
      return rows;
    },

    async editorState(viewer: Viewer, lessonId: number) {
      if (!hasRole(viewer, [...AUTHORS, ...APPROVERS])) throw new Forbidden("Chỉ giảng viên và Ban Tuyên giáo soạn, duyệt bài giảng.");
      const lesson = await db
        .selectFrom("lesson as l")
        .innerJoin("programme as p", "p.code", "l.programme_code")
        .select(["l.id", "l.slug", "l.position", "l.programme_code", "l.published_version_id", "p.name as programme_name"])
        .where("l.id", "=", lessonId)
        .executeTakeFirst();
      if (!lesson) throw new NotFound("Không có bài học này.");
      const versions = await db
        .selectFrom("lesson_version as v")
        .leftJoin("user_account as a", "a.id", "v.author_id")
        .leftJoin("user_account as r", "r.id", "v.reviewed_by")
        .select([
          "v.id",
          "v.version_no",
          "v.status",
          "v.origin",
          "v.title",
          "v.author_id",
          "a.display_name as author",
          "r.display_name as reviewer",
          "v.created_at",
          "v.updated_at",
          "v.submitted_at",
          "v.reviewed_at",
          "v.review_comment",
        ])
        .where("v.lesson_id", "=", lessonId)
        .orderBy("v.version_no", "desc")
        .execute();
      const published = versions.find((v) => v.id === lesson.published_version_id) ?? null;
      // The author's open draft (a draft, or a version returned for changes).
      const draft = versions.find((v) => v.author_id === viewer.userId && (v.status === "draft" || v.status === "returned")) ?? null;
      // The author's version waiting for review: without a draft, the editor goes on from it (not from the older published text).
      const submitted = versions.find((v) => v.author_id === viewer.userId && v.status === "submitted") ?? null;
      const sourceOf = async (id: number) =>
        (await db.selectFrom("lesson_version").select("source").where("id", "=", id).executeTakeFirstOrThrow()).source;
      const base = draft ?? submitted ?? published;
      return {
        lesson,
        versions,
        published,
        draft,
        submitted,
        source: base ? await sourceOf(base.id) : "",
        canAuthor: hasRole(viewer, AUTHORS),
        canApprove: hasRole(viewer, APPROVERS) && viewer.roles.some((g) => (g.role === "committee" || g.role === "admin") && !g.readOnly),
      };
    },

    /** A stored version, validated and compiled, for the reviewer's preview. */
    async previewVersion(viewer: Viewer, versionId: number) {
      if (!hasRole(viewer, [...AUTHORS, ...APPROVERS])) throw new Forbidden("Chỉ giảng viên và Ban Tuyên giáo xem bản nháp bài giảng.");
      const v = await db.selectFrom("lesson_version").select(["lesson_id", "source"]).where("id", "=", versionId).executeTakeFirst();
      if (!v) throw new NotFound("Không có phiên bản này.");
      return validate(v.lesson_id, v.source);
    },

    /** Renders a text for the live preview without saving it. */
    async preview(lessonId: number, source: string) {
      return validate(lessonId, source);
    },

    /**
     * Saves the author's draft whatever its state: a draft with errors is kept, never
     * lost. The closed grammar's refusals come back with the save (only parsed and
     * checked: nothing from the draft is compiled or run here).
     */
    async saveDraft(viewer: Viewer, lessonId: number, source: string) {
      if (!hasRole(viewer, AUTHORS)) throw new Forbidden("Chỉ giảng viên soạn bài giảng.");
      const text = source.normalize("NFC").replace(/\r\n?/g, "\n");
      if (text.length > 400_000) throw new BadRequest("Bài giảng quá dài (tối đa 400.000 ký tự).");
      const parsed = parseLessonSource(text, "bài giảng");
      const fm = parsed.frontmatter;
      const problems: ContentProblem[] = [
        ...parsed.problems,
        ...checkLessonBody(parsed.body).problems.map((p) => ({
          file: "bài giảng",
          line: parsed.bodyLineOffset + p.line,
          message: p.message,
        })),
      ];
      const now = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom("lesson_version")
          .select(["id"])
          .where("lesson_id", "=", lessonId)
          .where("author_id", "=", viewer.userId)
          .where("status", "in", ["draft", "returned"])
          .forUpdate()
          .executeTakeFirst();
        const values = {
          source: text,
          source_hash: sha(text),
          title: fm?.title ?? "(chưa có tiêu đề)",
          periods: fm?.periods ?? 0,
          updated_at: now,
        };
        if (existing) {
          await trx
            .updateTable("lesson_version")
            .set({ ...values, status: "draft" })
            .where("id", "=", existing.id)
            .execute();
          return existing.id;
        }
        const last = await trx
          .selectFrom("lesson_version")
          .select(({ fn }) => fn.max("version_no").as("n"))
          .where("lesson_id", "=", lessonId)
          .executeTakeFirst();
        const row = await trx
          .insertInto("lesson_version")
          .values({
            ...values,
            lesson_id: lessonId,
            version_no: Number(last?.n ?? 0) + 1,
            status: "draft",
            origin: "editor",
            author_id: viewer.userId,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        return row.id;
      });
      return { versionId: id, savedAt: now.toISOString(), problems };
    },

    async submit(viewer: Viewer, versionId: number) {
      const v = await db.selectFrom("lesson_version").selectAll().where("id", "=", versionId).executeTakeFirst();
      if (!v || v.author_id !== viewer.userId) throw new NotFound("Không tìm thấy bản nháp của bạn.");
      if (v.status !== "draft" && v.status !== "returned") throw new BadRequest("Bản này đã được gửi duyệt.");
      const { problems } = await validate(v.lesson_id, v.source);
      if (problems.length) return { ok: false as const, problems };
      await db.updateTable("lesson_version").set({ status: "submitted", submitted_at: clock.now() }).where("id", "=", versionId).execute();
      await audit(db, {
        actorId: viewer.userId,
        action: "lesson.submitted",
        entityType: "lesson_version",
        entityId: versionId,
        details: { lessonId: v.lesson_id, version: v.version_no },
      });
      return { ok: true as const };
    },

    async pendingReviews(viewer: Viewer) {
      if (!hasRole(viewer, APPROVERS)) throw new Forbidden("Chỉ Ban Tuyên giáo duyệt bài giảng.");
      return db
        .selectFrom("lesson_version as v")
        .innerJoin("lesson as l", "l.id", "v.lesson_id")
        .leftJoin("user_account as a", "a.id", "v.author_id")
        .select([
          "v.id",
          "v.lesson_id",
          "v.version_no",
          "v.title",
          "v.origin",
          "v.submitted_at",
          "l.programme_code",
          "l.position",
          "a.display_name as author",
        ])
        .where("v.status", "=", "submitted")
        .orderBy("v.submitted_at")
        .execute();
    },

    async review(viewer: Viewer, versionId: number, decision: { approve: true } | { approve: false; comment: string }) {
      if (!hasRole(viewer, APPROVERS) || !viewer.roles.some((g) => (g.role === "committee" || g.role === "admin") && !g.readOnly))
        throw new Forbidden("Chỉ Ban Tuyên giáo duyệt bài giảng.");
      const v = await db.selectFrom("lesson_version").selectAll().where("id", "=", versionId).executeTakeFirst();
      if (!v || v.status !== "submitted") throw new BadRequest("Bản này không ở trạng thái chờ duyệt.");
      const now = clock.now();
      if (!decision.approve) {
        if (!decision.comment.trim()) throw new BadRequest("Hãy ghi lý do trả lại để giảng viên biết cần sửa gì.");
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable("lesson_version")
            .set({ status: "returned", reviewed_by: viewer.userId, reviewed_at: now, review_comment: decision.comment.trim() })
            .where("id", "=", versionId)
            .execute();
          await audit(trx, {
            actorId: viewer.userId,
            action: "lesson.returned",
            entityType: "lesson_version",
            entityId: versionId,
            reason: decision.comment.trim(),
            details: { lessonId: v.lesson_id },
          });
        });
        return { ok: true as const, problems: [] };
      }
      // Re-checked at approval: invalid MDX never replaces a published version.
      const { problems } = await validate(v.lesson_id, v.source);
      if (problems.length) return { ok: false as const, problems };
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("lesson_version")
          .set({ status: "superseded" })
          .where("lesson_id", "=", v.lesson_id)
          .where("status", "=", "published")
          .execute();
        await trx
          .updateTable("lesson_version")
          .set({ status: "published", reviewed_by: viewer.userId, reviewed_at: now })
          .where("id", "=", versionId)
          .execute();
        await trx.updateTable("lesson").set({ published_version_id: versionId }).where("id", "=", v.lesson_id).execute();
        await audit(trx, {
          actorId: viewer.userId,
          action: "lesson.published",
          entityType: "lesson_version",
          entityId: versionId,
          details: { lessonId: v.lesson_id, version: v.version_no },
        });
      });
      return { ok: true as const, problems: [] };
    },

    async diff(viewer: Viewer, fromId: number, toId: number) {
      if (!hasRole(viewer, [...AUTHORS, ...APPROVERS])) throw new Forbidden("Chỉ giảng viên và Ban Tuyên giáo xem lịch sử bài giảng.");
      const [a, b] = await Promise.all(
        [fromId, toId].map((id) =>
          db.selectFrom("lesson_version").select(["source", "version_no", "lesson_id"]).where("id", "=", id).executeTakeFirst(),
        ),
      );
      if (!a || !b || a.lesson_id !== b.lesson_id) throw new NotFound("Không tìm thấy hai phiên bản của cùng một bài.");
      return { from: a.version_no, to: b.version_no, lines: compactDiff(diffLines(a.source, b.source)) };
    },
  };
}

export type CurriculaService = ReturnType<typeof createCurriculaService>;
