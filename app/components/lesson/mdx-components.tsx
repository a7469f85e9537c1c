import { useEffect, useId, useState, type ReactNode } from "react";
import { useFetcher } from "@remix-run/react";
import { Notice } from "~/components/action-notice";

/**
 * Components available inside a lesson. Their props are the ones the closed grammar
 * accepts (server/curricula/grammar.ts LESSON_COMPONENT_SPECS): add a prop there first.
 */

const CALLOUT_LABELS: Record<string, string> = { note: "Ghi chú", important: "Quan trọng", remember: "Ghi nhớ", example: "Ví dụ" };

export function Callout({ kind = "note", title, children }: { kind?: string; title?: string; children?: ReactNode }) {
  const label = title ?? CALLOUT_LABELS[kind] ?? "Ghi chú";
  return (
    <aside className={`callout callout--${kind}`} aria-label={label}>
      <p className="callout__title">{label}</p>
      {children}
    </aside>
  );
}

export function KeyPoints({ children }: { children?: ReactNode }) {
  return (
    <section className="keypoints" aria-label="Những điểm cần nắm">
      <p className="keypoints__title">Những điểm cần nắm</p>
      {children}
    </section>
  );
}

export function Cite({ doc, part }: { doc: string; part?: string }) {
  return (
    <cite className="cite" title="Văn bản làm căn cứ">
      ({doc}
      {part ? `, ${part}` : ""})
    </cite>
  );
}

type SelfCheckQuestion = { id: number; stem: string; type: "single" | "multiple" | "true_false"; options: string[] };
type SelfCheckResult = { id: number; correct: boolean; correctOptions: number[]; explanation: string | null };
type SelfCheckDraw = { draw: string | null; questions: SelfCheckQuestion[] } | { error: string };
type SelfCheckGrade = { results: SelfCheckResult[] } | { error: string };

/**
 * A short self-check drawn by the server from the lesson's practice questions. The
 * draw and the answer key stay on the server: the draw is graded there once, and only
 * the answered items of that draw come back with their key (issue 13, item 2).
 */
export function SelfCheck({ count = 5, lessonId }: { count?: number; lessonId?: number }) {
  const load = useFetcher<SelfCheckDraw>();
  const drawn = load.data && "questions" in load.data ? load.data : null;
  // One grading fetcher per draw: results of an earlier draw never colour a new one.
  const check = useFetcher<SelfCheckGrade>({ key: `selfcheck-${lessonId}-${drawn?.draw ?? "none"}` });
  const [answers, setAnswers] = useState<Record<number, number[]>>({});
  const [round, setRound] = useState(1);
  const baseId = useId();
  const action = `/hoc-tap/tu-kiem-tra/${lessonId}`;
  const { submit: drawQuestions } = load;
  useEffect(() => {
    if (lessonId) drawQuestions({ intent: "draw", "so-cau": String(count) }, { method: "post", action });
  }, [lessonId, count, round, action, drawQuestions]);
  if (!lessonId) return null;
  const questions = drawn?.questions;
  const graded = check.data && "results" in check.data ? check.data.results : [];
  const results = new Map(graded.map((r) => [r.id, r]));
  const error =
    (load.data && "error" in load.data ? load.data.error : null) ?? (check.data && "error" in check.data ? check.data.error : null);
  return (
    <section className="selfcheck" aria-labelledby={`${baseId}-title`}>
      <h3 id={`${baseId}-title`}>Tự kiểm tra</h3>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {!questions && !error ? <p className="muted">Đang tải câu hỏi…</p> : null}
      {questions && questions.length === 0 ? <p className="muted">Bài này chưa có câu hỏi ôn tập đã được duyệt.</p> : null}
      {questions && questions.length > 0 ? (
        <check.Form method="post" action={action}>
          <ol className="selfcheck__list">
            {questions.map((q) => {
              const r = results.get(q.id);
              return (
                <li key={q.id} className="selfcheck__item">
                  <fieldset>
                    <legend>{q.stem}</legend>
                    {q.type === "multiple" ? <p className="hint">Chọn tất cả phương án đúng.</p> : null}
                    {q.options.map((o, i) => {
                      const chosen = answers[q.id]?.includes(i) ?? false;
                      const verdict = r ? (r.correctOptions.includes(i) ? "is-correct" : chosen ? "is-wrong" : "") : "";
                      return (
                        <label key={i} className={`choice ${verdict}`}>
                          <input
                            type={q.type === "multiple" ? "checkbox" : "radio"}
                            name={`q${q.id}`}
                            value={i}
                            checked={chosen}
                            onChange={(e) =>
                              setAnswers((a) => {
                                const prev = a[q.id] ?? [];
                                const next = q.type === "multiple" ? (e.target.checked ? [...prev, i] : prev.filter((x) => x !== i)) : [i];
                                return { ...a, [q.id]: next };
                              })
                            }
                          />
                          <span>
                            {String.fromCharCode(65 + i)}. {o}
                          </span>
                        </label>
                      );
                    })}
                    {r ? (
                      <p className={r.correct ? "verdict verdict--ok" : "verdict verdict--err"} role="status">
                        {r.correct ? "Đúng." : `Chưa đúng. Đáp án: ${r.correctOptions.map((i) => String.fromCharCode(65 + i)).join(", ")}.`}{" "}
                        {r.explanation ?? ""}
                      </p>
                    ) : null}
                  </fieldset>
                </li>
              );
            })}
          </ol>
          <input type="hidden" name="intent" value="grade" />
          <input type="hidden" name="draw" value={drawn?.draw ?? ""} />
          <input type="hidden" name="answers" value={JSON.stringify(answers)} />
          <div className="actions">
            <button className="button" type="submit" disabled={check.state !== "idle" || graded.length > 0}>
              Kiểm tra đáp án
            </button>
            <button
              className="button button--secondary"
              type="button"
              onClick={() => {
                setAnswers({});
                setRound((r) => r + 1);
              }}
            >
              Làm bộ câu khác
            </button>
          </div>
        </check.Form>
      ) : null}
    </section>
  );
}
