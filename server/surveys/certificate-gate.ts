import type { Database } from "../db";
import { AppError } from "../errors";

/**
 * The "certificate after survey" rule (issue 13, item 10): while a course survey of the
 * class marked `required_for_certificate` has no participation from the person, the
 * certificate is not handed out in the trainee's pages. Only participation (who has
 * answered) is read, never what was answered.
 */
export async function pendingCertificateSurvey(
  db: Database,
  personId: number,
  classId: number,
): Promise<{ id: number; title: string } | null> {
  const pending = await db
    .selectFrom("survey as s")
    .leftJoin("survey_participation as p", (j) => j.onRef("p.survey_id", "=", "s.id").on("p.person_id", "=", personId))
    .select(["s.id", "s.title"])
    .where("s.class_id", "=", classId)
    .where("s.required_for_certificate", "=", true)
    .where("s.kind", "=", "course")
    .where("p.person_id", "is", null)
    .orderBy("s.id")
    .executeTakeFirst();
  return pending ?? null;
}

/** Refusal of a certificate download while a required survey is unanswered; carries the survey to link to. */
export class SurveyRequired extends AppError {
  readonly code = "survey_required";
  constructor(readonly survey: { id: number; title: string }) {
    super(`Hãy gửi phiếu khảo sát “${survey.title}” trước khi tải giấy chứng nhận (mục Khảo sát, /khao-sat/${survey.id}).`, 403);
  }
}
