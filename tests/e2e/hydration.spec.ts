import { expect, test } from "@playwright/test";
import { failOnConsoleErrors, login } from "./helpers";

/**
 * Issue 14, item 6: pages that print dates and numbers must render the same text on the
 * server and in the browser, or React throws #418/#423 and re-renders the page.
 */
test("the class results page hydrates without a console error", async ({ page }) => {
  await login(page, "canbo.tanlap");
  const clean = failOnConsoleErrors(page);
  await page.goto("/lop");
  await page.getByRole("link", { name: /^Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026/ }).click();
  await page.waitForURL(/\/lop\/\d+$/);
  const classPath = new URL(page.url()).pathname;
  // A full load, so the server's HTML is hydrated by the browser.
  await page.goto(`${classPath}/ket-qua-hoc-tap`);
  await expect(page.getByRole("heading", { name: "Kết quả học tập" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  clean();
});
