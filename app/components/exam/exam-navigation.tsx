import type { PaperItem } from "../../../server/realtime/contract";
import { isAnswered, type AnswerState } from "./use-answer-queue";

/** Previous / next / flag, under the question. */
export function QuestionNav({
  index,
  count,
  flagged,
  onGo,
  onFlag,
}: {
  index: number;
  count: number;
  flagged: boolean;
  onGo: (index: number) => void;
  onFlag: () => void;
}) {
  return (
    <nav className="exam-nav" aria-label="Chuyển câu">
      <button
        type="button"
        className="button button--secondary"
        onClick={() => onGo(index - 1)}
        disabled={index === 0}
        aria-keyshortcuts="K ArrowLeft"
      >
        ← Câu trước
      </button>
      <button
        type="button"
        className="button"
        onClick={() => onGo(index + 1)}
        disabled={index === count - 1}
        aria-keyshortcuts="J ArrowRight"
      >
        Câu sau →
      </button>
      <button
        type="button"
        className="button button--secondary exam-nav__flag"
        onClick={onFlag}
        aria-pressed={flagged}
        aria-keyshortcuts="F"
      >
        ⚑ {flagged ? "Bỏ đánh dấu" : "Đánh dấu"}
      </button>
    </nav>
  );
}

/** Every question as a button that says whether it is answered, flagged or unsaved. */
export function QuestionGrid({
  items,
  answers,
  index,
  onGo,
}: {
  items: PaperItem[];
  answers: Record<number, AnswerState>;
  index: number;
  onGo: (index: number) => void;
}) {
  return (
    <details className="card" open>
      <summary>Danh sách câu</summary>
      <ol className="exam-grid">
        {items.map((it, i) => {
          const a = answers[it.position]!;
          return (
            <li key={it.position}>
              <button
                type="button"
                className={`qbtn${isAnswered(a) ? " qbtn--answered" : ""}${a.flagged ? " qbtn--flagged" : ""}${a.state === "unsaved" ? " qbtn--unsaved" : ""}${i === index ? " qbtn--current" : ""}`}
                onClick={() => onGo(i)}
                aria-label={`Câu ${it.position}${it.type === "essay" ? " (tự luận)" : ""}${isAnswered(a) ? ", đã trả lời" : ", chưa trả lời"}${a.flagged ? ", đánh dấu" : ""}${a.state === "unsaved" ? ", chưa lưu" : ""}`}
                aria-current={i === index ? "true" : undefined}
              >
                {it.position}
              </button>
            </li>
          );
        })}
      </ol>
    </details>
  );
}
