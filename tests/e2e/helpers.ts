import { expect, type Page } from "@playwright/test";

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
