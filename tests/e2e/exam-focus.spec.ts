import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { login, shot } from "./helpers";

/**
 * The exam as a focused mode on a cheap phone (issue #14, decision 022): no site menu,
 * a compact bar, the question and its answers on the first screen, a reload resumes at
 * the question, dialogs that take focus and close with Escape, arrow keys that move
 * between answers, no sideways scrolling at 200 %, and leaving asks first.
 *
 * Each journey creates its own practice test (a title no other journey uses), so it
 * depends on no other journey and no order. Practice, not official: official attempts
 * count in the class's results, which other journeys read.
 */

const SCREEN = { width: 360, height: 740 };
/**
 * 200 % browser zoom on that phone: the page lays out in half as many CSS pixels, so a
 * 180×370 viewport is what the page sees at 200 % zoom on a 360×740 screen.
 */
const ZOOMED = { width: 180, height: 370 };

/** "YYYY-MM-DDTHH:mm" in Vietnam's time (the form's datetime-local fields). */
const vn = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().slice(0, 16);

async function createPracticeTest(browser: Browser, title: string) {
  const context = await browser.newContext({ locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
  const page = await context.newPage();
  await login(page, "canbo.tanlap");
  await page.goto("/lop");
  await page.getByRole("link", { name: /^Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026/ }).click();
  await page.getByRole("link", { name: "Bài kiểm tra của lớp", exact: true }).first().click();
  await page.getByLabel("Tên bài kiểm tra").fill(title);
  await page.getByLabel("Loại").selectOption("practice");
  await page.getByLabel("Mở lúc").fill(vn(Date.now() - 3600_000));
  await page.getByLabel("Đóng lúc").fill(vn(Date.now() + 30 * 86400_000));
  await page.getByLabel("Nhận biết").fill("2");
  await page.getByLabel("Thông hiểu").fill("0");
  await page.getByLabel("Vận dụng").fill("0");
  await page.getByRole("button", { name: "Tạo và sinh đề" }).click();
  await expect(page.getByText(/Đã tạo bài kiểm tra và sinh sẵn/)).toBeVisible();
  await context.close();
}

/** The trainee opens the test and starts it; returns the number of questions. */
async function startExam(page: Page, title: string): Promise<number> {
  await page.setViewportSize(SCREEN);
  await login(page, "hocvien");
  await page.goto("/thi");
  await page.getByRole("link", { name: new RegExp(title) }).click();
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  const heading = page.getByRole("heading", { name: /^Câu 1\/\d+/ });
  await expect(heading).toBeAttached();
  await expect(page.getByTestId("bar-state")).toHaveText("Đã kết nối");
  return Number(/Câu 1\/(\d+)/.exec((await heading.textContent()) ?? "")![1]);
}

/** Sideways scrolling: the page is wider than the window. */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("the exam on a 360 px phone: focused screen, first-screen question, keyboard, dialog, 200 % zoom, no serious axe violation", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const title = "Luyện tập màn hình tập trung 1";
  await createPracticeTest(browser, title);
  const count = await startExam(page, title);

  // Focused mode: no site header, no menu, no logout; a compact bar with a way out.
  await expect(page.locator(".site-header")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Điều hướng chính" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toHaveCount(0);
  await expect(page.getByRole("timer")).toContainText(/Còn \d+:\d\d/);
  await expect(page.getByTestId("bar-place")).toHaveText(`Câu 1/${count}`);
  await expect(page.getByText(`Đã trả lời 0/${count}`)).toBeVisible();
  await expect(page.getByRole("link", { name: "Thoát" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/exam-focus-360.png" }); // the first screen, as the trainee sees it

  // The question and every answer lie within the first screen, below the bar.
  const bar = (await page.locator(".exam-bar").boundingBox())!;
  expect(bar.height).toBeLessThan(SCREEN.height / 6);
  const stem = (await page.locator(".exam-question legend").boundingBox())!;
  expect(stem.y).toBeGreaterThanOrEqual(bar.y + bar.height);
  const options = page.locator(".exam-choice");
  const n = await options.count();
  expect(n).toBeGreaterThanOrEqual(2);
  for (let i = 0; i < n; i++) {
    const box = (await options.nth(i).boundingBox())!;
    expect(box.y + box.height, `phương án ${i + 1} trong màn hình đầu`).toBeLessThanOrEqual(SCREEN.height);
    expect(box.x + box.width).toBeLessThanOrEqual(SCREEN.width);
  }
  expect(await scrollsSideways(page)).toBe(false);
  expect(await seriousViolations(page)).toEqual([]);

  // Arrow keys on an answer move between answers (native radio group), not to another question.
  const radios = page.locator(".exam-choice input");
  await radios.first().check();
  await expect(page.getByTestId("save-state")).toHaveText("✓ Đã lưu");
  await expect(page.getByTestId("bar-state")).toHaveText("✓ Đã lưu");
  await page.keyboard.press("ArrowRight");
  await expect(radios.nth(1)).toBeChecked();
  await expect(radios.nth(1)).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(radios.nth(2 % n)).toBeChecked();
  await page.keyboard.press("ArrowLeft");
  await expect(radios.nth(1)).toBeChecked();
  await expect(page.getByTestId("bar-place")).toHaveText(`Câu 1/${count}`);
  await expect(page.getByRole("heading", { name: new RegExp(`^Câu 1/${count}`) })).toBeAttached();
  await expect(page.getByTestId("save-state")).toHaveText("✓ Đã lưu");
  await expect(page.getByText(`Đã trả lời 1/${count}`)).toBeVisible();
  // The focus ring goes round the whole answer row.
  expect(
    await page
      .locator(".exam-choice")
      .nth(1)
      .evaluate((el) => getComputedStyle(el).outlineStyle),
  ).toBe("solid");
  await page.screenshot(shot("exam-focus-keyboard"));
  // Away from the answers, → still goes to the next question.
  await page.getByRole("button", { name: "Câu sau →" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("bar-place")).toHaveText(`Câu 2/${count}`);

  // "Nộp bài?" is a modal dialog: focus moves in, Escape closes it, focus goes back.
  const trigger = page.getByRole("button", { name: "Nộp bài" });
  await trigger.click();
  const dialog = page.getByRole("alertdialog", { name: "Nộp bài?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Làm tiếp" })).toBeFocused();
  await page.screenshot(shot("exam-focus-submit-dialog"));
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(trigger).toBeFocused();
  await expect(page.getByTestId("bar-place")).toHaveText(`Câu 2/${count}`); // nothing handed in

  // 200 % zoom on the same phone: nothing sticks out sideways, the bar does not cover the screen.
  await page.setViewportSize(ZOOMED);
  await page.evaluate(() => window.scrollTo(0, 0));
  expect(await scrollsSideways(page)).toBe(false);
  for (const name of ["← Câu trước", "Câu sau →", "Nộp bài", "Thoát"]) {
    const box = (await page.getByRole(name === "Thoát" ? "link" : "button", { name, exact: true }).boundingBox())!;
    expect(box.x + box.width, name).toBeLessThanOrEqual(ZOOMED.width);
  }
  expect(await page.locator(".exam-bar").evaluate((el) => getComputedStyle(el).position)).toBe("static");
  await page.screenshot(shot("exam-focus-zoom-200"));

  // 200 % text (the phone's font size setting) at 360 px: no sideways scroll, the sticky bar under half the screen.
  await page.setViewportSize(SCREEN);
  await page.evaluate(() => (document.documentElement.style.fontSize = "225%")); // 2 × the site's 112.5 %
  expect(await scrollsSideways(page)).toBe(false);
  const bigBar = (await page.locator(".exam-bar").boundingBox())!;
  expect(bigBar.height).toBeLessThan(SCREEN.height / 2);
  await page.screenshot(shot("exam-focus-text-200"));
});

test("a reload resumes at the question last shown; leaving asks first and does not hand the paper in", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const title = "Luyện tập màn hình tập trung 2";
  await createPracticeTest(browser, title);
  const count = await startExam(page, title);
  const examPath = new URL(page.url()).pathname;

  await page.getByRole("button", { name: "Câu sau →" }).click();
  await page.getByRole("button", { name: "Câu sau →" }).click();
  await expect(page.getByTestId("bar-place")).toHaveText(`Câu 3/${count}`);
  await page.locator(".exam-choice").first().click();
  await expect(page.getByTestId("save-state")).toHaveText("✓ Đã lưu");

  await page.reload();
  await expect(page.getByTestId("bar-place")).toHaveText(`Câu 3/${count}`);
  await expect(page.getByRole("heading", { name: new RegExp(`^Câu 3/${count}`) })).toBeAttached();
  await expect(page.locator(".exam-choice input").first()).toBeChecked();

  // "Thoát" asks; staying keeps the trainee on the same question.
  const exit = page.getByRole("link", { name: "Thoát" });
  await exit.click();
  const leave = page.getByRole("alertdialog", { name: "Thoát khỏi bài làm?" });
  await expect(leave).toBeVisible();
  await expect(leave.getByRole("button", { name: "Ở lại làm bài" })).toBeFocused();
  await page.screenshot(shot("exam-focus-leave-dialog"));
  await leave.getByRole("button", { name: "Ở lại làm bài" }).click();
  await expect(leave).toBeHidden();
  await expect(exit).toBeFocused();
  expect(new URL(page.url()).pathname).toBe(examPath);

  // The browser's back button asks too; Escape stays.
  await page.evaluate(() => history.back());
  await expect(leave).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(leave).toBeHidden();
  expect(new URL(page.url()).pathname).toBe(examPath);

  // Leaving for real: the site's menu is back, and the paper is still open, not handed in.
  await exit.click();
  await leave.getByRole("button", { name: "Thoát", exact: true }).click();
  await expect(page).toHaveURL(/\/thi$/);
  await expect(page.getByRole("navigation", { name: "Điều hướng chính" })).toBeVisible();
  // On the red header the keyboard's focus ring is the yellow one (about 5.6:1 on the red).
  const brand = page.getByRole("link", { name: "Bồi Dưỡng — trang chủ" });
  await brand.focus();
  await page.keyboard.press("Shift+Tab"); // to the skip link and back: a keyboard focus
  await page.keyboard.press("Tab");
  await expect(brand).toBeFocused();
  expect(
    await brand.evaluate((el) => [el.matches(":focus-visible"), getComputedStyle(el).outlineColor, getComputedStyle(el).outlineStyle]),
  ).toEqual([true, "rgb(255, 210, 31)", "solid"]);
  await page.goto(examPath);
  await expect(page.getByTestId("bar-place")).toHaveText(`Câu 3/${count}`);
  await expect(page.getByText(`Đã trả lời 1/${count}`)).toBeVisible();
  await expect(page.getByTestId("receipt")).toHaveCount(0);
  // A desktop shows the same focused screen, centred.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByRole("navigation", { name: "Điều hướng chính" })).toHaveCount(0);
  expect(await scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: "test-results/screenshots/exam-focus-desktop.png" });
});
