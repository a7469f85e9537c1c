import { test, expect, type Page } from "@playwright/test";
import { login, shot } from "./helpers";

// The class home (issue 14, item 7): from the class list to a class, its life stage by stage,
// the next step highlighted, a stage's page and back — on a 360 px phone and on a desktop.
const CLASS = "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026";
const STAGES = [
  "Kế hoạch",
  "Đề cử và thẩm định",
  "Mở lớp, giấy triệu tập",
  "Lịch học",
  "Điểm danh",
  "Tự học trực tuyến",
  "Kiểm tra cuối khóa",
  "Kết quả học tập",
  "Giấy chứng nhận",
  "Thông báo, báo cáo",
  "Khảo sát cuối khóa",
];

async function noHorizontalScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, "page wider than the screen").toBeLessThanOrEqual(client);
}

for (const [label, viewport] of [
  ["360", { width: 360, height: 740 }],
  ["desktop", { width: 1280, height: 900 }],
] as const) {
  test(`class list → class home → a stage's page → back (${label})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await login(page, "canbo.tanlap");
    // The menu leads to the class list; "Sổ lớp" is folded into it.
    const menu = page.getByRole("navigation", { name: "Điều hướng chính" });
    await expect(menu.getByRole("link", { name: "Sổ lớp" })).toHaveCount(0);
    await page.goto("/lop");
    await page.getByRole("link", { name: new RegExp(`^${CLASS}`) }).click();

    await expect(page).toHaveURL(/\/lop\/\d+$/);
    await expect(page.getByRole("heading", { level: 1, name: CLASS })).toBeVisible();
    await expect(page.getByText("HD 61 — ")).toBeVisible();
    await expect(page.getByText("09/03/2026 – 13/03/2026")).toBeVisible();
    await expect(page.locator(".class-facts")).toContainText("Trung tâm Chính trị xã Tân Lập");
    await expect(page.locator(".class-facts")).toContainText(/\d+ học viên/);

    // The life of the class, in order, each with its state.
    const life = page.getByRole("list", { name: "Các bước của lớp" });
    await expect(life.getByRole("listitem")).toHaveCount(STAGES.length);
    for (const [i, title] of STAGES.entries()) await expect(life.getByRole("listitem").nth(i).getByRole("heading")).toContainText(title);

    // The next step: one stage marked as the current step, repeated above with its call to action.
    const current = life.locator('li[aria-current="step"]');
    await expect(current).toHaveCount(1);
    await expect(current).toContainText("Bước tiếp theo");
    const nextTitle = (await current.locator(".stage__title").innerText()).replace("Bước tiếp theo", "").trim();
    const callout = page.getByRole("region", { name: nextTitle });
    await expect(callout).toContainText("Bước tiếp theo");
    await expect(callout.getByRole("link")).toHaveText(/→$/);
    await noHorizontalScroll(page);
    await page.screenshot(shot(`class-home-${label}`));

    // A stage's page, then back to the class home through the shared header.
    await life.locator('[data-stage="timetable"]').getByRole("link", { name: "Lịch học" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Lịch học" })).toBeVisible();
    await noHorizontalScroll(page);
    await page.getByRole("navigation", { name: "Sổ lớp" }).getByRole("link", { name: "Tổng quan" }).click();
    await expect(page.getByRole("heading", { level: 1, name: CLASS })).toBeVisible();

    // The call to action opens the next step's page, whose header leads back by the class's name.
    const target = await callout.getByRole("link").getAttribute("href");
    await callout.getByRole("link").click();
    await expect(page).toHaveURL((u) => u.pathname + u.search === target);
    await noHorizontalScroll(page);
    if (target!.startsWith("/lop/")) {
      await page.locator(".lesson-meta").getByRole("link", { name: CLASS }).click();
      await expect(page.getByRole("heading", { level: 1, name: CLASS })).toBeVisible();
    }

    // The other pages of the class carry the same header (not only the register's five).
    const home = page.url().replace(/\/lop\/(\d+).*$/, "/lop/$1");
    for (const sub of ["tien-do", "kiem-tra", "giay-trieu-tap", "so-do-cho-ngoi"]) {
      await page.goto(`${home}/${sub}`);
      await expect(page.locator(".lesson-meta").getByRole("link", { name: CLASS }), sub).toBeVisible();
      await noHorizontalScroll(page);
    }
  });
}

test("each role sees the pages its guards let it open; old Sổ lớp links land on the class list", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await login(page, "giangvien");
  await page.goto("/so-lop");
  await expect(page).toHaveURL(/\/lop$/);
  await page.getByRole("link", { name: new RegExp(`^${CLASS}`) }).click();
  const life = page.getByRole("list", { name: "Các bước của lớp" });
  // A lecturer takes attendance and sees self-study, but does not print the call-up letters.
  await expect(life.locator('[data-stage="attendance"]').getByRole("link", { name: "Điểm danh" })).toBeVisible();
  await expect(life.locator('[data-stage="selfStudy"]').getByRole("link", { name: "Tiến độ tự học" })).toBeVisible();
  await expect(life.locator('[data-stage="opening"]').getByRole("link", { name: /Giấy triệu tập/ })).toHaveCount(0);
  await expect(life.locator('[data-stage="opening"]').getByRole("link", { name: "Sơ đồ chỗ ngồi" })).toBeVisible();
});
