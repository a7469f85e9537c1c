import { canReach, type Viewer } from "../auth/scope";
import { NotFound, Forbidden } from "../errors";
import { classPlace } from "../classes/class-place";
import type { QuestionType } from "../db/schema";
import { attemptMediaPrefix, mediaOfVersions, renderStemHtml, stemText } from "../questions/media";
import { sortByVietnameseName } from "../rules/vietnamese-names";
import { ATTEMPT_RULE, countedAttempt } from "../rules/figures";
import { itemEarned, type GradedItem } from "./scoring";
import { reviewAccess } from "./review";
import { distribution, itemAnalysis } from "./analysis";
import { resultsXlsx as resultsWorkbook } from "./export";
import { corrections, gradedItems } from "./graded-items";
import { ExamRefused, ORGANISERS, type ExamContext } from "./context";

/**
 * Results: the public receipt check, an exam's results with item analysis and their
 * workbook, a trainee's own result and review page as the review policy allows.
 */
export function resultMethods(ctx: ExamContext) {
  const { db, clock } = ctx;
  const { examRow } = ctx.exams;

  /** Public receipt check: confirms a submission exists, with the least information. */
  async function verifyReceipt(code: string) {
    const normalised = code.toUpperCase().replace(/[^0-9A-Z]/g, "");
    if (normalised.length !== 12) return null;
    const formatted = `${normalised.slice(0, 4)}-${normalised.slice(4, 8)}-${normalised.slice(8)}`;
    const row = await db
      .selectFrom("attempt as a")
      .innerJoin("exam as e", "e.id", "a.exam_id")
      .innerJoin("training_class as c", "c.id", "e.class_id")
      .select(["e.title", "c.name as class_name", "a.submitted_at", "a.submitted_by"])
      .select((eb) =>
        eb
          .selectFrom("attempt_item as i")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("i.attempt_id", "=", "a.id")
          .where("i.chosen", "is not", null)
          .as("answered"),
      )
      .where("a.receipt", "=", formatted)
      .executeTakeFirst();
    return row
      ? {
          exam: row.title,
          className: row.class_name,
          submittedAt: new Date(row.submitted_at!).toISOString(),
          submittedBy: row.submitted_by,
          answered: Number(row.answered),
        }
      : null;
  }

  /**
   * Per-trainee results, distribution, pass rate, bands and item analysis for one exam.
   * One row per trainee: the attempt that counts (`countedAttempt`, the best final
   * score) with the trainee's other attempts under it; every figure is over trainees,
   * never over attempts (docs/surveys-and-dashboards.md, "Figure definitions").
   */
  async function results(viewer: Viewer, examId: number) {
    const exam = await examRow(examId);
    const klass = await classPlace(db, exam.class_id);
    if (!canReach(viewer, [...ORGANISERS, "lecturer"], klass.path)) throw new Forbidden("Lớp này không thuộc trung tâm của bạn.");
    const people = await db
      .selectFrom("class_enrolment as ce")
      .innerJoin("person as p", "p.id", "ce.person_id")
      .innerJoin("org_unit as u", "u.id", "p.org_unit_id")
      .select(["p.id as person_id", "p.full_name", "p.birth_date", "u.name as unit_name"])
      .where("ce.class_id", "=", exam.class_id)
      .execute();
    const handedIn = await db
      .selectFrom("attempt as a")
      .innerJoin("class_enrolment as ce", (j) => j.onRef("ce.person_id", "=", "a.person_id").on("ce.class_id", "=", exam.class_id))
      .select([
        "a.id",
        "a.person_id",
        "a.attempt_no",
        "a.status",
        "a.score",
        "a.band",
        "a.passed",
        "a.submitted_at",
        "a.submitted_by",
        "a.receipt",
      ])
      .where("a.exam_id", "=", examId)
      .where("a.status", "in", ["submitted", "awaiting_grading"])
      .orderBy("a.attempt_no")
      .execute();
    type Handed = (typeof handedIn)[number] & { attemptNo: number; final: number | null };
    const byPerson = new Map<number, Handed[]>();
    for (const a of handedIn) {
      // Statistics count final scores only: an attempt awaiting essay grading has none yet.
      const row: Handed = { ...a, attemptNo: a.attempt_no, final: a.status === "submitted" && a.score !== null ? Number(a.score) : null };
      byPerson.set(a.person_id, [...(byPerson.get(a.person_id) ?? []), row]);
    }
    const lines = people.map((p) => {
      const attempts = byPerson.get(p.person_id) ?? [];
      const counted = countedAttempt(attempts.map((a) => ({ ...a, score: a.final })));
      return { p, attempts, counted: counted ? attempts.find((a) => a.id === counted.id)! : null };
    });
    const graded = lines.filter((l) => l.counted !== null);
    const keys = await corrections(db, examId);
    const byAttempt = await gradedItems(
      db,
      graded.map((l) => l.counted!.id),
      keys,
    );
    const analysis = itemAnalysis(
      graded.map((l) => ({
        score: l.counted!.final!,
        items: (byAttempt.get(l.counted!.id) ?? []).map((it) => ({
          versionId: it.versionId,
          points: it.points,
          earned: itemEarned(it, exam.policy),
          chosen: it.chosen,
          optionCount: it.options.length,
        })),
      })),
    );
    const versionIds = [...new Set([...byAttempt.values()].flatMap((l) => l.map((i) => i.versionId)))];
    const versions = versionIds.length
      ? await db
          .selectFrom("question_version as v")
          .innerJoin("question as q", "q.id", "v.question_id")
          .select(["v.id", "v.stem", "v.stem_format", "v.type", "v.options", "v.level", "q.lesson_position"])
          .where("v.id", "in", versionIds)
          .execute()
      : [];
    const meta = new Map(
      versions.map((v) => [
        v.id,
        {
          stem: stemText(v.stem, v.stem_format),
          type: v.type,
          lesson: v.lesson_position,
          level: v.level,
          corrected: keys.has(v.id),
          options: (keys.get(v.id) ?? v.options).map((o) => ({ text: o.text, correct: o.fraction > 0 })),
        },
      ]),
    );
    const scores = graded.map((l) => l.counted!.final!);
    const bandCounts = Object.fromEntries(exam.policy.bands.map((b) => [b.code, graded.filter((l) => l.counted!.band === b.code).length]));
    const label = (code: string | null) => exam.policy.bands.find((b) => b.code === code)?.label ?? null;
    const view = (a: Handed) => ({
      attemptId: a.id,
      attemptNo: a.attempt_no,
      awaitingGrading: a.status === "awaiting_grading",
      score: a.final,
      band: a.final === null ? null : label(a.band),
      passed: a.final === null ? null : a.passed,
      submittedBy: a.submitted_by,
      receipt: a.receipt,
    });
    return {
      exam: {
        id: exam.id,
        title: exam.title,
        className: klass.name,
        passMark: exam.policy.passMark,
        bands: exam.policy.bands,
        reviewPolicy: exam.review_policy,
        attemptRule: ATTEMPT_RULE,
      },
      trainees: sortByVietnameseName(lines, (l) => l.p.full_name).map(({ p, attempts, counted }) => {
        // The counted attempt, else the latest one handed in (awaiting grading).
        const shown = counted ?? attempts[attempts.length - 1] ?? null;
        return {
          personId: p.person_id,
          name: p.full_name,
          birthDate: p.birth_date,
          unit: p.unit_name,
          ...(shown
            ? view(shown)
            : {
                attemptId: null,
                attemptNo: null,
                awaitingGrading: false,
                score: null,
                band: null,
                passed: null,
                submittedBy: null,
                receipt: null,
              }),
          attempts: attempts.length,
          /** Every other attempt handed in, in order, each with its own figures. */
          others: attempts.filter((a) => a !== shown).map(view),
        };
      }),
      summary: {
        enrolled: people.length,
        /** Trainees who handed in at least one attempt. */
        submitted: lines.filter((l) => l.attempts.length > 0).length,
        /** Trainees with a final score (the base of the rate, mean and chart). */
        graded: graded.length,
        /** Papers (attempts) waiting for an essay grade: the grader's queue. */
        awaitingGrading: handedIn.filter((a) => a.status === "awaiting_grading").length,
        passRate: graded.length ? graded.filter((l) => l.counted!.passed).length / graded.length : null,
        mean: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null,
        distribution: distribution(scores, exam.policy.scale),
        bandCounts,
      },
      items: analysis.map((a) => ({ ...a, ...meta.get(a.versionId)! })).sort((x, y) => x.facility - y.facility),
    };
  }

  async function resultsXlsx(viewer: Viewer, examId: number) {
    const r = await results(viewer, examId);
    return { bytes: await resultsWorkbook(r), fileName: `ket-qua-kiem-tra-${examId}.xlsx` };
  }

  /** The trainee's own result, as the review policy allows (staff of the class see it all). */
  async function result(viewer: Viewer, attemptId: number) {
    const a = await db.selectFrom("attempt").selectAll().where("id", "=", attemptId).executeTakeFirst();
    if (!a) throw new NotFound("Không tìm thấy bài làm.");
    const exam = await examRow(a.exam_id);
    const own = a.person_id === viewer.personId;
    if (!own && !canReach(viewer, [...ORGANISERS, "lecturer"], (await classPlace(db, exam.class_id)).path))
      throw new NotFound("Không tìm thấy bài làm.");
    if (a.status !== "submitted" && a.status !== "awaiting_grading") throw new ExamRefused("not_submitted", "Bài làm chưa nộp.");
    const final = a.status === "submitted" && a.score !== null;
    const access = own
      ? reviewAccess(exam.review_policy, { final, closed: clock.now() > new Date(exam.closes_at), released: !!exam.results_released_at })
      : { score: final, answers: true, notice: null };
    const band = exam.policy.bands.find((b) => b.code === a.band);
    return {
      attemptId: a.id,
      receipt: a.receipt,
      awaitingGrading: a.status === "awaiting_grading",
      reviewPolicy: exam.review_policy,
      answersAvailable: access.answers,
      notice: access.notice,
      score: access.score ? Number(a.score) : null,
      band: access.score ? (band?.label ?? a.band) : null,
      passed: access.score ? a.passed : null,
    };
  }

  /**
   * The trainee's review page: the questions with the trainee's answers, the key (as
   * corrected) and the essay feedback, only when the review policy allows it.
   */
  async function review(viewer: Viewer, attemptId: number) {
    const summary = await result(viewer, attemptId);
    const a = await db.selectFrom("attempt").select(["exam_id"]).where("id", "=", attemptId).executeTakeFirstOrThrow();
    const exam = await examRow(a.exam_id);
    const head = { ...summary, examId: exam.id, title: exam.title, closesAt: new Date(exam.closes_at).toISOString() };
    if (!summary.answersAvailable) return { ...head, items: null };
    const keys = await corrections(db, exam.id);
    const rows = await db
      .selectFrom("attempt_item as i")
      .innerJoin("question_version as v", "v.id", "i.question_version_id")
      .select([
        "i.position",
        "i.points",
        "i.option_order",
        "i.chosen",
        "i.text_answer",
        "i.essay_score",
        "i.essay_comment",
        "i.question_version_id",
        "v.type",
        "v.stem",
        "v.stem_format",
        "v.options",
        "v.explanation",
      ])
      .where("i.attempt_id", "=", attemptId)
      .orderBy("i.position")
      .execute();
    const media = await mediaOfVersions(
      db,
      rows.filter((r) => r.stem_format === "html").map((r) => r.question_version_id),
    );
    return {
      ...head,
      items: rows.map((r) => {
        const options = keys.get(r.question_version_id) ?? r.options;
        const order = r.option_order;
        const chosen = r.chosen ?? [];
        const item: GradedItem = {
          type: r.type as QuestionType,
          options,
          points: Number(r.points),
          chosen,
          essayPoints: r.essay_score === null ? null : Number(r.essay_score),
        };
        return {
          position: r.position,
          type: r.type as QuestionType,
          stem: stemText(r.stem, r.stem_format),
          stemHtml: renderStemHtml(r.stem, r.stem_format, media.get(r.question_version_id) ?? new Map(), attemptMediaPrefix(attemptId)),
          points: Number(r.points),
          earned: itemEarned(item, exam.policy),
          options: order.map((stored) => ({
            text: options[stored]!.text,
            correct: options[stored]!.fraction > 0,
            chosen: chosen.includes(stored),
          })),
          corrected: keys.has(r.question_version_id),
          text: r.type === "essay" ? (r.text_answer ?? "") : null,
          comment: r.essay_comment,
          // An essay's explanation is its marking guide; objective items explain the key.
          explanation: r.explanation,
        };
      }),
    };
  }

  return { verifyReceipt, results, resultsXlsx, result, review };
}
