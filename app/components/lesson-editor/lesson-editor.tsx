import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { readForm, splitSource, withBody, withYaml, writeField, type FieldName, type FormValues } from "./frontmatter";
import {
  CALLOUT_KINDS,
  calloutBlock,
  citeSnippet,
  imageSnippet,
  imagesIn,
  insertBlock,
  insertInline,
  keyPointsBlock,
  linkSnippet,
  prefixLines,
  selfCheckBlock,
  tableBlock,
  wrapInline,
  type Edit,
} from "./snippets";
import { Notice } from "~/components/action-notice";

/**
 * The lesson editor (decision 025): the frontmatter as a form and the body under a
 * toolbar whose buttons write well-formed Markdown and lesson components, beside the
 * source view for experts. Both views edit one text, so switching keeps everything.
 */

export type EditorView = "rich" | "source";

interface Props {
  source: string;
  onChange: (source: string) => void;
  view: EditorView;
  onView: (view: EditorView) => void;
  /** A file line to show in the source view (from a problem's "Dòng N"); `n` changes on each request. */
  goTo: { line: number; n: number } | null;
  describedBy?: string;
}

type Panel = null | "table" | "image" | "link" | "Callout" | "Cite" | "SelfCheck";

export function LessonSourceEditor({ source, onChange, view, onView, goTo, describedBy }: Props) {
  const split = useMemo(() => splitSource(source), [source]);
  const yaml = split?.yaml ?? "";
  const body = split ? split.body : source;
  const form = useMemo(() => readForm(yaml), [yaml]);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const sourceRef = useRef<HTMLTextAreaElement>(null);
  const pending = useRef<{ el: "body" | "source"; start: number; end: number } | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const ids = useId();

  useLayoutEffect(() => {
    const p = pending.current;
    if (!p) return;
    const el = p.el === "body" ? bodyRef.current : sourceRef.current;
    if (!el || el.offsetParent === null) return;
    pending.current = null;
    el.focus();
    el.setSelectionRange(p.start, p.end);
  });

  useLayoutEffect(() => {
    if (!goTo) return;
    const lines = source.split("\n");
    const start = lines.slice(0, goTo.line - 1).reduce((n, l) => n + l.length + 1, 0);
    pending.current = { el: "source", start, end: start + (lines[goTo.line - 1]?.length ?? 0) };
    if (view === "source" && sourceRef.current) {
      pending.current = null;
      sourceRef.current.focus();
      sourceRef.current.setSelectionRange(start, start + (lines[goTo.line - 1]?.length ?? 0));
    } else onView("source");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [goTo]);

  const setField = (name: FieldName, value: string | boolean) => onChange(withYaml(source, writeField(yaml, name, value)));

  const current = (): Edit => {
    const el = bodyRef.current;
    return { text: body, start: el?.selectionStart ?? body.length, end: el?.selectionEnd ?? body.length };
  };
  const apply = (e: Edit) => {
    pending.current = { el: "body", start: e.start, end: e.end };
    setPanel(null);
    onChange(withBody(source, e.text));
  };

  const tabs: { id: EditorView; label: string }[] = [
    { id: "rich", label: "Soạn thảo" },
    { id: "source", label: "Mã nguồn (MDX)" },
  ];
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    e.preventDefault();
    const next = view === "rich" ? "source" : "rich";
    onView(next);
    document.getElementById(`${ids}-tab-${next}`)?.focus();
  };

  return (
    <div className="lesson-editor">
      <div role="tablist" aria-label="Cách soạn" className="lesson-editor__tabs">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`${ids}-tab-${t.id}`}
            aria-selected={view === t.id}
            aria-controls={`${ids}-panel-${t.id}`}
            tabIndex={view === t.id ? 0 : -1}
            onClick={() => onView(t.id)}
            onKeyDown={onTabKey}
          >
            {t.label}
          </button>
        ))}
      </div>

      <div role="tabpanel" id={`${ids}-panel-rich`} aria-labelledby={`${ids}-tab-rich`} hidden={view !== "rich"}>
        {view === "rich" ? <input type="hidden" name="source" value={source} /> : null}
        {"values" in form ? (
          <FrontmatterForm values={form.values} onField={setField} idBase={ids} />
        ) : (
          <Notice tone="error">{form.error} Hãy sửa phần đầu trong tab “Mã nguồn”.</Notice>
        )}

        <div className="lesson-editor__toolbar">
          <div role="group" aria-label="Định dạng">
            <button type="button" onClick={() => apply(prefixLines(current(), () => "## ", "Tiêu đề mục"))}>
              Tiêu đề mục
            </button>
            <button type="button" onClick={() => apply(prefixLines(current(), () => "### ", "Tiêu đề nhỏ"))}>
              Tiêu đề nhỏ
            </button>
            <button type="button" onClick={() => apply(wrapInline(current(), "**", "**", "chữ đậm"))}>
              <strong>Đậm</strong>
            </button>
            <button type="button" onClick={() => apply(wrapInline(current(), "*", "*", "chữ nghiêng"))}>
              <em>Nghiêng</em>
            </button>
            <button type="button" onClick={() => apply(prefixLines(current(), () => "- ", "Ý thứ nhất"))}>
              Danh sách
            </button>
            <button type="button" onClick={() => apply(prefixLines(current(), (i) => `${i + 1}. `, "Bước thứ nhất"))}>
              Danh sách số
            </button>
            <PanelButton panel="table" open={panel} setOpen={setPanel}>
              Bảng
            </PanelButton>
            <PanelButton panel="image" open={panel} setOpen={setPanel}>
              Hình ảnh
            </PanelButton>
            <PanelButton panel="link" open={panel} setOpen={setPanel}>
              Liên kết
            </PanelButton>
          </div>
          <div role="group" aria-label="Thành phần bài giảng">
            <PanelButton panel="Callout" open={panel} setOpen={setPanel}>
              Khung lưu ý
            </PanelButton>
            <button
              type="button"
              onClick={() => {
                const k = keyPointsBlock();
                apply(insertBlock(current(), k.block, k.select));
              }}
            >
              Ý chính cần nhớ
            </button>
            <PanelButton panel="Cite" open={panel} setOpen={setPanel}>
              Trích dẫn văn bản
            </PanelButton>
            <PanelButton panel="SelfCheck" open={panel} setOpen={setPanel}>
              Tự kiểm tra
            </PanelButton>
          </div>
        </div>
        {panel ? (
          <InsertPanel
            key={panel}
            panel={panel}
            body={body}
            idBase={ids}
            onCancel={() => setPanel(null)}
            onInsert={(f) => apply(f(current()))}
          />
        ) : null}

        <label htmlFor={`${ids}-body`} className="field">
          <strong>Nội dung bài giảng</strong>
        </label>
        <textarea
          id={`${ids}-body`}
          ref={bodyRef}
          className="lesson-editor__body"
          value={body}
          spellCheck={false}
          aria-describedby={describedBy}
          onChange={(e) => onChange(withBody(source, e.target.value))}
        />
      </div>

      <div role="tabpanel" id={`${ids}-panel-source`} aria-labelledby={`${ids}-tab-source`} hidden={view !== "source"}>
        <label htmlFor="source" className="field">
          <strong>Nội dung MDX</strong>
        </label>
        <textarea
          id="source"
          ref={sourceRef}
          name={view === "source" ? "source" : undefined}
          value={source}
          spellCheck={false}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
    </div>
  );
}

function PanelButton({
  panel,
  open,
  setOpen,
  children,
}: {
  panel: Exclude<Panel, null>;
  open: Panel;
  setOpen: (p: Panel) => void;
  children: ReactNode;
}) {
  return (
    <button type="button" aria-expanded={open === panel} onClick={() => setOpen(open === panel ? null : panel)}>
      {children}
    </button>
  );
}

function FrontmatterForm({
  values,
  onField,
  idBase,
}: {
  values: FormValues;
  onField: (name: FieldName, value: string | boolean) => void;
  idBase: string;
}) {
  const id = (n: string) => `${idBase}-fm-${n}`;
  return (
    <fieldset className="lesson-editor__meta">
      <legend>Thông tin bài học</legend>
      <div className="lesson-editor__row">
        <div className="field">
          <label htmlFor={id("number")}>Bài số</label>
          <input id={id("number")} inputMode="numeric" value={values.number} onChange={(e) => onField("number", e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={id("periods")}>Số tiết</label>
          <input id={id("periods")} inputMode="numeric" value={values.periods} onChange={(e) => onField("periods", e.target.value)} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={id("title")}>Tên bài</label>
        <input id={id("title")} value={values.title} onChange={(e) => onField("title", e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={id("summary")}>Tóm tắt (một, hai câu)</label>
        <textarea
          id={id("summary")}
          rows={3}
          value={values.summary}
          onChange={(e) => onField("summary", e.target.value.replace(/\n/g, " "))}
        />
      </div>
      <div className="field">
        <label htmlFor={id("objectives")}>Mục tiêu (mỗi dòng một mục tiêu)</label>
        <textarea id={id("objectives")} rows={4} value={values.objectives} onChange={(e) => onField("objectives", e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={id("sources")}>Văn bản làm căn cứ (mỗi dòng một văn bản)</label>
        <textarea id={id("sources")} rows={3} value={values.sources} onChange={(e) => onField("sources", e.target.value)} />
      </div>
      <div className="field field--check">
        <input
          id={id("unconfirmed")}
          type="checkbox"
          checked={values.unconfirmed}
          onChange={(e) => onField("unconfirmed", e.target.checked)}
        />
        <label htmlFor={id("unconfirmed")}>Tên bài, số tiết là giá trị tạm, chưa được xác nhận</label>
      </div>
    </fieldset>
  );
}

const PANEL_TITLES: Record<Exclude<Panel, null>, string> = {
  table: "Chèn bảng",
  image: "Chèn hình ảnh",
  link: "Chèn liên kết",
  Callout: "Chèn khung lưu ý",
  Cite: "Chèn trích dẫn văn bản",
  SelfCheck: "Chèn phần tự kiểm tra",
};

/** The small form of a button that needs values; its fields are not part of the page's form. */
function InsertPanel({
  panel,
  body,
  idBase,
  onInsert,
  onCancel,
}: {
  panel: Exclude<Panel, null>;
  body: string;
  idBase: string;
  onInsert: (f: (e: Edit) => Edit) => void;
  onCancel: () => void;
}) {
  const [a, setA] = useState(panel === "table" ? "2" : panel === "SelfCheck" ? "5" : panel === "Callout" ? "note" : "");
  const [b, setB] = useState(panel === "table" ? "2" : "");
  const [error, setError] = useState<string | null>(null);
  const id = (n: string) => `${idBase}-panel-${n}`;
  const images = panel === "image" ? imagesIn(body) : [];

  const insert = () => {
    switch (panel) {
      case "table":
        return onInsert((e) => insertBlock(e, tableBlock(Number(a), Number(b))));
      case "image":
        if (!a.trim() || !b.trim()) return setError("Cần đường dẫn ảnh và mô tả ảnh (cho người không xem được ảnh).");
        return onInsert((e) => insertBlock(e, imageSnippet(a, b)));
      case "link":
        if (!a.trim()) return setError("Cần địa chỉ liên kết.");
        return onInsert((e) => insertInline(e, linkSnippet(b.trim(), a)));
      case "Callout": {
        const c = calloutBlock(a, b);
        return onInsert((e) => insertBlock(e, c.block, c.select));
      }
      case "Cite":
        if (!a.trim()) return setError("Cần tên văn bản.");
        return onInsert((e) => insertInline(e, citeSnippet(a, b)));
      case "SelfCheck": {
        const n = Number(a);
        if (!Number.isInteger(n) || n < 1 || n > 20) return setError("Số câu phải là số nguyên từ 1 đến 20.");
        return onInsert((e) => insertBlock(e, selfCheckBlock(n)));
      }
    }
  };
  // Enter inserts, as in a form of its own, instead of submitting the page's form.
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === "Enter" && (e.target as HTMLElement).tagName === "INPUT") {
      e.preventDefault();
      insert();
    } else if (e.key === "Escape") onCancel();
  };
  const text = (name: string, label: string, value: string, set: (v: string) => void, extra: Record<string, unknown> = {}) => (
    <div className="field">
      <label htmlFor={id(name)}>{label}</label>
      <input id={id(name)} value={value} onChange={(e) => set(e.target.value)} {...extra} />
    </div>
  );

  return (
    // Enter and Escape bubble up from the panel's own inputs and buttons: the fieldset only listens.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <fieldset className="lesson-editor__panel" onKeyDown={onKeyDown}>
      <legend>{PANEL_TITLES[panel]}</legend>
      {panel === "table" ? (
        <div className="lesson-editor__row">
          {text("cols", "Số cột", a, setA, { inputMode: "numeric" })}
          {text("rows", "Số dòng (không kể dòng tiêu đề)", b, setB, { inputMode: "numeric" })}
        </div>
      ) : null}
      {panel === "image" ? (
        <>
          {text("src", "Đường dẫn ảnh (trên trang này, ví dụ /anh/so-do.png)", a, setA, { list: images.length ? id("images") : undefined })}
          {images.length ? (
            <datalist id={id("images")}>
              {images.map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
          ) : null}
          {text("alt", "Mô tả ảnh", b, setB)}
        </>
      ) : null}
      {panel === "link" ? (
        <>
          {text("href", "Địa chỉ (https://… hoặc /…)", a, setA, { inputMode: "url" })}
          {text("label", "Chữ hiển thị", b, setB)}
        </>
      ) : null}
      {panel === "Callout" ? (
        <>
          <div className="field">
            <label htmlFor={id("kind")}>Loại khung</label>
            <select id={id("kind")} value={a} onChange={(e) => setA(e.target.value)}>
              {CALLOUT_KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </div>
          {text("title", "Tiêu đề khung (không bắt buộc)", b, setB)}
        </>
      ) : null}
      {panel === "Cite" ? (
        <>
          {text("doc", "Tên văn bản", a, setA)}
          {text("part", "Phần, điều, khoản (không bắt buộc)", b, setB)}
        </>
      ) : null}
      {panel === "SelfCheck" ? text("count", "Số câu hỏi (1–20)", a, setA, { inputMode: "numeric" }) : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div className="actions">
        <button type="button" className="button" onClick={insert}>
          Chèn
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Hủy
        </button>
      </div>
    </fieldset>
  );
}
