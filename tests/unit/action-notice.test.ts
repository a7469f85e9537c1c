import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ActionNotice, Notice, ProblemList } from "../../app/components/action-notice";

/** One markup for a form post's answer (issue 17, item 4): the e2e tests find it by role and class. */
describe("action notice", () => {
  it("renders success as a polite status and a refusal as an alert", () => {
    expect(renderToStaticMarkup(createElement(Notice, null, "Đã lưu."))).toBe('<p class="notice-ok" role="status">Đã lưu.</p>');
    expect(renderToStaticMarkup(createElement(Notice, { tone: "error", "data-testid": "x" } as never, "Không được."))).toBe(
      '<p class="form-error" role="alert" data-testid="x">Không được.</p>',
    );
  });

  it("shows a post's { ok, message }, and nothing before the post", () => {
    expect(renderToStaticMarkup(createElement(ActionNotice, { result: { ok: true, message: "Đã gán." } }))).toBe(
      '<p class="notice-ok" role="status">Đã gán.</p>',
    );
    expect(renderToStaticMarkup(createElement(ActionNotice, { result: { ok: false, message: "Không tìm thấy." } }))).toBe(
      '<p class="form-error" role="alert">Không tìm thấy.</p>',
    );
    expect(renderToStaticMarkup(createElement(ActionNotice, { result: undefined }))).toBe("");
  });

  it("lists several refusals in one alert", () => {
    expect(renderToStaticMarkup(createElement(ProblemList, { problems: ["A.", "B."] }))).toBe(
      '<div class="form-error" role="alert"><p style="margin:0">A.</p><p style="margin:0">B.</p></div>',
    );
    expect(renderToStaticMarkup(createElement(ProblemList, { problems: ["A."], spaced: true }))).toBe(
      '<div class="form-error" role="alert"><p>A.</p></div>',
    );
  });
});
