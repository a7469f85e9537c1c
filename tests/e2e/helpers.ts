import { expect, type Browser, type Page } from "@playwright/test";

export const PHONE = { width: 390, height: 844 };
export const DEMO_PASSWORD = "demo12345";

export async function login(page: Page, username: string, password = DEMO_PASSWORD, opts: { expectFailure?: boolean } = {}) {
  await page.goto("/dang-nhap");
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  // Wait for the session cookie before the next navigation.
  if (!opts.expectFailure) await page.waitForURL((u) => !u.pathname.startsWith("/dang-nhap"));
}

export async function logout(page: Page) {
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("heading", { name: "Đăng nhập" })).toBeVisible();
}

export function shot(name: string) {
  return { path: `test-results/screenshots/${name}.png`, fullPage: true };
}

/**
 * Collects the page's console errors and uncaught exceptions (React's hydration errors
 * #418/#423 among them) from now on. Call the returned function at the end of a test:
 * it fails the test with every message seen. Usable by any spec.
 */
export function failOnConsoleErrors(page: Page, opts: { ignore?: RegExp[] } = {}) {
  const seen: string[] = [];
  const ignored = (text: string) => (opts.ignore ?? []).some((r) => r.test(text));
  page.on("console", (m) => {
    if (m.type() === "error" && !ignored(m.text())) seen.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => {
    if (!ignored(e.message)) seen.push(`pageerror: ${e.message}`);
  });
  return () => expect(seen, "console errors on the page").toEqual([]);
}

/** "2026-12-07T15:04" in Vietnam's time, as the exam form's datetime-local fields take it. */
export const vnLocal = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().slice(0, 16);

/**
 * Journey independence (issue 14): a journey that sits a test creates its own, so no
 * other journey's submission (in whatever order the specs run) shows up on its page.
 * The centre creates a practice test for the demo trainee's class, open from an hour
 * ago for a day, with two "nhận biết" questions per lesson (10 questions); the review
 * policy is the practice default (answers right after submitting) unless given.
 */
export async function createPracticeTest(browser: Browser, title: string, opts: { reviewPolicy?: string } = {}) {
  const ctx = await browser.newContext({ locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
  const page = await ctx.newPage();
  await login(page, "canbo.tanlap");
  await page.goto("/lop");
  await page.getByRole("link", { name: /^Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026/ }).click();
  await page.getByRole("link", { name: "Bài kiểm tra của lớp", exact: true }).first().click();
  await page.getByLabel("Tên bài kiểm tra").fill(title);
  await page.getByLabel("Loại", { exact: true }).selectOption("practice");
  await page.getByLabel("Mở lúc").fill(vnLocal(Date.now() - 3600_000));
  await page.getByLabel("Đóng lúc").fill(vnLocal(Date.now() + 24 * 3600_000));
  await page.getByLabel("Thời gian làm bài (phút)").fill("20");
  await page.getByLabel("Nhận biết").fill("2");
  await page.getByLabel("Thông hiểu").fill("0");
  await page.getByLabel("Vận dụng").fill("0");
  if (opts.reviewPolicy) await page.getByLabel("Học viên xem lại bài sau khi nộp").selectOption(opts.reviewPolicy);
  await page.getByRole("button", { name: "Tạo và sinh đề" }).click();
  await expect(page.getByText(/^Đã tạo bài kiểm tra và sinh sẵn \d+ đề cho học viên\.$/)).toBeVisible();
  await ctx.close();
}
