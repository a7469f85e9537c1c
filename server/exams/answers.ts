import type { Viewer } from "../auth/scope";
import { BadRequest, NotFound } from "../errors";
import { ExamRefused, type ExamContext } from "./context";
import { sql } from "kysely";
import { acceptsAnswers } from "./timing";
import { ESSAY_MAX_CHARS, MAX_INT } from "./protocol";
import { hashDeviceToken } from "./device";
import { assertDevice } from "./device-binding";

/** Saving answers: the hot path of an exam (docs/decisions/013-group-commit.md). */
export function answerMethods(ctx: ExamContext) {
  const { db, clock } = ctx;
  return {
    /**
     * Stores one answer durably before acknowledging it. Idempotent: a replay with a
     * sequence number not above the stored one changes nothing and is acknowledged.
     */
    async saveAnswer(
      viewer: Viewer,
      attemptId: number,
      input: { position: number; chosen: number[]; text?: string; flagged?: boolean; seq: number; deviceToken?: string },
    ) {
      if (!Number.isInteger(input.seq) || input.seq < 1 || input.seq > MAX_INT) throw new BadRequest("Số thứ tự câu trả lời không hợp lệ.");
      // Hashing costs about a microsecond; the statement compares it with the attempt's row it reads anyway.
      const tokenHash = input.deviceToken ? hashDeviceToken(input.deviceToken) : "";
      const text = input.text === undefined ? null : input.text.normalize("NFC");
      if (text !== null && text.length > ESSAY_MAX_CHARS)
        throw new ExamRefused(
          "too_long",
          `Bài tự luận dài ${text.length.toLocaleString("vi-VN")} ký tự, vượt giới hạn ${ESSAY_MAX_CHARS.toLocaleString("vi-VN")} ký tự; hãy rút gọn rồi lưu lại.`,
        );
      const now = clock.now();
      const display = [...new Set(input.chosen)];
      // The hot path of an exam. Choice answers (the bulk) go through group commit
      // (answer-batch.ts); an essay, rarer and larger, has a statement of its own. Either
      // way the statement's CTE takes a share lock on the attempt (held until it commits),
      // so a submission's UPDATE of the attempt waits for it: an acknowledged answer is
      // always in the graded paper, and an answer after submission or past the deadline
      // changes nothing. Display positions are mapped to stored option indexes in SQL
      // through the paper's option order.
      const stored =
        text === null
          ? await ctx.choiceAnswers.save({
              attemptId,
              personId: viewer.personId ?? -1,
              position: input.position,
              display,
              flagged: input.flagged ?? false,
              seq: input.seq,
              at: now,
              tokenHash,
            })
          : await saveEssay();
      if (stored !== null) return { ok: true as const, position: input.position, seq: stored, applied: true, savedAt: now.toISOString() };
      async function saveEssay() {
        const saved = await sql<{ seq: number }>`
          with a as (
            select a.id from attempt a join exam e on e.id = a.exam_id
            where a.id = ${attemptId} and a.person_id = ${viewer.personId ?? -1} and a.status = 'in_progress'
              and a.paused_at is null and a.locked_at is null and a.device_token_hash = ${tokenHash}
              and a.deadline_at + make_interval(secs => e.grace_seconds) >= ${now}
            for share of a
          )
          update attempt_item i set
            chosen = coalesce((select jsonb_agg((i.option_order ->> d.v)::int order by d.ord) from unnest(${display}::int[]) with ordinality as d(v, ord)), '[]'::jsonb),
            -- Only essays (no options) keep a text.
            text_answer = case when jsonb_array_length(i.option_order) = 0 then coalesce(${text}::text, i.text_answer) else i.text_answer end,
            flagged = ${input.flagged ?? false}, seq = ${input.seq}, saved_at = ${now}
          from a
          where i.attempt_id = a.id and i.position = ${input.position} and i.seq < ${input.seq}
            and (select coalesce(bool_and(d < jsonb_array_length(i.option_order)), true) from unnest(${display}::int[]) d)
          returning i.seq`.execute(ctx.answerDb);
        return saved.rows.length ? Number(saved.rows[0]!.seq) : null;
      }

      // Nothing written: say why (rare, except a replay of an older sequence number).
      const row = await db
        .selectFrom("attempt as a")
        .innerJoin("exam as e", "e.id", "a.exam_id")
        .leftJoin("attempt_item as i", (j) => j.onRef("i.attempt_id", "=", "a.id").on("i.position", "=", input.position))
        .leftJoin("question_version as v", "v.id", "i.question_version_id")
        .select([
          "a.person_id",
          "a.status",
          "a.submitted_by",
          "a.deadline_at",
          "a.paused_at",
          "a.locked_at",
          "a.device_token_hash",
          "e.grace_seconds",
          "i.option_order",
          "i.seq",
          "i.position",
          "v.type",
        ])
        .where("a.id", "=", attemptId)
        .executeTakeFirst();
      if (!row || row.person_id !== viewer.personId) throw new NotFound("Không tìm thấy bài làm.");
      assertDevice(input.deviceToken, row.device_token_hash);
      if (row.position === null) throw new BadRequest(`Không có câu ${input.position} trong bài.`);
      const order = row.option_order ?? []; // the item exists (position checked above), so its order does too
      if (display.some((d) => d >= order.length)) throw new BadRequest("Phương án không hợp lệ.");
      if (display.length > 1 && row.type !== "multiple")
        throw new BadRequest(`Câu ${input.position} chỉ được chọn một phương án; hãy chọn lại.`);
      // A replay of what is already stored changes nothing whatever the attempt's state
      // (also after submission): acknowledged, so the client's journal can let it go.
      if ((row.seq ?? 0) >= input.seq)
        return { ok: true as const, position: input.position, seq: row.seq!, applied: false, savedAt: now.toISOString() };
      if (row.status !== "in_progress") {
        if (row.submitted_by === "server")
          throw new ExamRefused(
            "deadline_passed",
            "Đã hết giờ: hệ thống đã tự nộp bài với các câu trả lời đã lưu trước giờ nộp. Câu trả lời này đến sau nên không được tính.",
          );
        throw new ExamRefused("not_in_progress", "Bài làm đã nộp; không thể sửa câu trả lời.");
      }
      if (row.paused_at) throw new ExamRefused("paused", "Giám thị đang tạm dừng bài làm; câu trả lời sẽ được lưu khi tiếp tục.");
      if (row.locked_at) throw new ExamRefused("locked", "Bài làm đang bị giám thị khóa.");
      if (!acceptsAnswers(new Date(row.deadline_at!), now, row.grace_seconds))
        throw new ExamRefused("deadline_passed", "Đã hết giờ làm bài; câu trả lời này đến sau giờ nộp nên không được lưu.");
      return { ok: true as const, position: input.position, seq: row.seq!, applied: false, savedAt: now.toISOString() };
    },
  };
}
