import { expect, test, type Page } from "@playwright/test";
import { createPracticeTest, login } from "./helpers";

/** This journey's own practice test (journey independence, issue 14). */
const PRACTICE = "Luyện tập dưới chính sách bảo mật nội dung";

/**
 * Decision 016: every HTML page carries a Content-Security-Policy with a fresh nonce,
 * the framework's inline scripts carry that nonce, and the pages that matter most —
 * a lesson, an exam, the proctor's room — run with no violation at all.
 */

test("every page sends a CSP with a per-request nonce, and every inline script carries it", async ({ request }) => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await request.get("/dang-nhap");
    expect(res.headers()["content-type"]).toContain("text/html");
    const csp = res.headers()["content-security-policy"] ?? "";
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{16,})'/.exec(csp)?.[1];
    expect(nonce, csp).toBeTruthy();
    for (const d of [
      "default-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "connect-src 'self'",
    ])
      expect(csp).toContain(d);
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    const html = await res.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    for (const attrs of inline) expect(attrs).toContain(`nonce="${nonce}"`);
    nonces.push(nonce!);
  }
  expect(nonces[0]).not.toBe(nonces[1]);
  // An error page is HTML too.
  const missing = await request.get("/khong-co-trang-nay");
  expect(missing.status()).toBe(404);
  expect(missing.headers()["content-security-policy"]).toContain("'nonce-");
});

/** Collects CSP violations and script errors on a page from its very first script. */
async function watch(page: Page) {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return async () => {
    const fromPage = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
    return [...problems, ...fromPage];
  };
}

test("no CSP violation on a lesson (with its self-check) nor on the exam page", async ({ page, browser }) => {
  await createPracticeTest(browser, PRACTICE);
  const violations = await watch(page);
  await login(page, "hocvien");
  await page.goto("/hoc-tap/hd61/dieu-le-dang");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Bài 3.");
  // The self-check loads through a fetcher: hydration ran under the policy.
  await expect(page.locator(".selfcheck__item")).toHaveCount(5);
  await expect(page.locator(".callout").first()).toBeVisible();
  expect(await violations()).toEqual([]);

  await page.goto("/thi");
  await page.getByRole("link", { name: new RegExp(PRACTICE) }).click();
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await expect(page.getByRole("heading", { name: /Câu 1\/10/ })).toBeVisible();
  await expect(page.getByText("Đã kết nối")).toBeVisible(); // Socket.IO on the same origin
  await page.locator(".exam-choice").first().click();
  await expect(page.getByTestId("save-state")).toHaveText("✓ Đã lưu");
  expect(await violations()).toEqual([]);
  // Submitting, and the receipt page with the score.
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Nộp bài" }).click();
  await expect(page.getByTestId("receipt")).toBeVisible();
  expect(await violations()).toEqual([]);
});

test("no CSP violation in the proctor's live room, nor in the lesson editor's live preview", async ({ page }) => {
  const violations = await watch(page);
  await login(page, "giamthi");
  await page.goto("/giam-thi");
  await page
    .getByRole("link", { name: /Vào phòng coi thi|Xem phòng thi/ })
    .first()
    .click();
  await expect(page.getByText("Trực tiếp")).toBeVisible();
  expect(await violations()).toEqual([]);

  await page.context().clearCookies();
  await login(page, "giangvien");
  await page.goto("/bai-giang");
  await page
    .getByRole("link", { name: /^Bài 1\./ })
    .first()
    .click();
  await page.getByRole("tab", { name: /Mã nguồn/ }).click();
  const editor = page.getByLabel("Nội dung MDX");
  const original = await editor.inputValue();
  await editor.fill(
    original.replace("## Tóm tắt", '## Tóm tắt\n\n[Bấm vào đây](javascript:alert(1))\n\n<img src="x" alt="x" onerror="alert(1)" />\n'),
  );
  const problems = page.getByRole("alert", { name: "Lỗi trong bài giảng" });
  await expect(problems).toContainText("Liên kết “javascript:alert(1)” không được phép");
  await expect(problems).toContainText("Thuộc tính onerror chạy mã");
  await expect(page.getByLabel("Xem trước bài giảng")).toContainText("Sửa lỗi để xem trước.");
  // Saving keeps the draft and lists the same refusals with their lines.
  await page.getByRole("button", { name: "Lưu nháp" }).click();
  await expect(page.getByText("Đã lưu bản nháp, nhưng bài giảng còn lỗi")).toBeVisible();
  await expect(page.getByRole("alert", { name: "Lỗi trong bài giảng" }).first()).toContainText(
    /Dòng \d+: Liên kết “javascript:alert\(1\)” không được phép/,
  );
  await editor.fill(original);
  await expect(page.getByLabel("Xem trước bài giảng").locator(".callout").first()).toBeVisible();
  expect(await violations()).toEqual([]);
});
