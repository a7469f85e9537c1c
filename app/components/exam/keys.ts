/**
 * Keyboard answering in the exam runner. Pure, so the mapping is unit-tested.
 *
 * 1–9 choose the option with that number; A–D choose by letter; J or → go to the next
 * question, K or ← to the previous one; F flags the question for review. Keys typed into
 * a text box (an essay) are text, never commands; Esc leaves the box. ← and → on a form
 * control are the control's own (a radio group moves between its answers), never a jump
 * to another question (issue #14: the arrows on an answer changed the question).
 */
export type ExamCommand = { kind: "choose"; option: number } | { kind: "next" } | { kind: "prev" } | { kind: "flag" };

export function examCommand(
  e: { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean; target?: EventTarget | null },
  optionCount: number,
): ExamCommand | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  const key = e.key;
  if ((key === "ArrowRight" || key === "ArrowLeft") && ownsArrowKeys(e.target ?? null)) return null;
  if (key === "ArrowRight" || key === "j" || key === "J") return { kind: "next" };
  if (key === "ArrowLeft" || key === "k" || key === "K") return { kind: "prev" };
  if (key === "f" || key === "F") return { kind: "flag" };
  if (/^[1-9]$/.test(key)) {
    const option = Number(key) - 1;
    return option < optionCount ? { kind: "choose", option } : null;
  }
  if (/^[a-dA-D]$/.test(key)) {
    const option = key.toUpperCase().charCodeAt(0) - 65;
    return option < optionCount ? { kind: "choose", option } : null;
  }
  return null;
}

/** Targets where a key is the trainee's typing, not a command. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  if (el.tagName === "INPUT") {
    const type = (el as HTMLInputElement).type;
    return !["radio", "checkbox", "button", "submit"].includes(type);
  }
  return false;
}

/** Form controls whose arrow keys already mean something (radio groups, text, selects, sliders). */
export function ownsArrowKeys(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const el = target as HTMLElement;
  return el.isContentEditable || el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA";
}

export const SHORTCUTS: [string, string][] = [
  ["1–9 hoặc A–D", "chọn phương án"],
  ["J hoặc →", "câu sau"],
  ["K hoặc ←", "câu trước"],
  ["Phím mũi tên khi đang ở một phương án", "chuyển sang phương án khác, không đổi câu"],
  ["F", "đánh dấu / bỏ đánh dấu để xem lại"],
  ["Esc", "rời ô viết bài tự luận để dùng phím tắt"],
];
