import { StemContent } from "../question-stem";
import type { PaperItem } from "../../../server/realtime/contract";
import type { AnswerState } from "./use-answer-queue";

const SAVE_STATE_TEXT = {
  saved: "✓ Đã lưu",
  saving: "Đang lưu…",
  unsaved: "Chưa lưu — sẽ tự gửi lại khi có mạng",
  empty: "Chưa trả lời",
  editing: "Đang soạn — sẽ tự lưu khi bạn ngừng gõ",
};

/** One question on screen: its stem, the choices or the essay box, and whether the answer is saved. */
export function QuestionView(props: {
  item: PaperItem;
  count: number;
  state: AnswerState;
  error: string | undefined;
  disabled: boolean;
  maxChars: number;
  onChoose: (option: number) => void;
  onType: (text: string) => void;
  onLeaveEssay: () => void;
}) {
  const { item, count, state, maxChars, disabled } = props;
  return (
    <section className="card exam-question" aria-labelledby={`q-${item.position}`}>
      {/* The bar shows the number; the heading names the question for screen readers and the outline. */}
      <h2 id={`q-${item.position}`} className="sr-only">
        Câu {item.position}/{count}
        {state.flagged ? " ⚑ đánh dấu xem lại" : null}
      </h2>
      {state.flagged ? (
        <p className="exam-flag-note" aria-hidden="true">
          ⚑ Đã đánh dấu để xem lại
        </p>
      ) : null}
      {item.type === "essay" ? (
        <div className="field">
          <div className="exam-stem" id={`stem-${item.position}`}>
            <StemContent stem={item.stem} html={item.stemHtml} />
          </div>
          <label htmlFor={`essay-${item.position}`}>Bài làm tự luận</label>
          <textarea
            id={`essay-${item.position}`}
            aria-describedby={`stem-${item.position} count-${item.position}`}
            rows={10}
            maxLength={maxChars}
            value={state.text}
            disabled={disabled}
            onChange={(e) => props.onType(e.target.value)}
            onBlur={props.onLeaveEssay}
            style={{ width: "100%", fontSize: "1.05rem", lineHeight: 1.5 }}
          />
          <p className="hint" id={`count-${item.position}`}>
            {state.text.length.toLocaleString("vi-VN")}/{maxChars.toLocaleString("vi-VN")} ký tự · tự lưu khi bạn ngừng gõ · Esc để rời ô
            viết
          </p>
          {props.error ? (
            <p className="form-error" role="alert">
              {props.error}
            </p>
          ) : null}
        </div>
      ) : (
        <fieldset>
          <legend className="exam-stem">
            <StemContent stem={item.stem} html={item.stemHtml} />
          </legend>
          {item.type === "multiple" ? <p className="hint">Chọn tất cả phương án đúng.</p> : null}
          {item.options.map((o, i) => (
            <label key={i} className={`choice exam-choice${state.chosen.includes(i) ? " is-chosen" : ""}`}>
              <input
                type={item.type === "multiple" ? "checkbox" : "radio"}
                name={`q${item.position}`}
                checked={state.chosen.includes(i)}
                onChange={() => props.onChoose(i)}
                disabled={disabled}
              />
              <span>
                <strong>{String.fromCharCode(65 + i)}.</strong> {o}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <p className={`save-state save-state--${state.state}`} role="status" data-testid="save-state">
        {SAVE_STATE_TEXT[state.state]}
      </p>
    </section>
  );
}
