import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { login, logout, shot } from "./helpers";

// Issue 14, item 3: a question imported from Moodle XML with an HTML stem and an embedded
// picture shows as formatted text with its picture on a 360 px phone, never as markup.
const FIXTURE = fs.readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/questions/hd61-moodle-image.xml"),
  "utf8",
);

/** The fixture's question once in every lesson (1…5) at "Nhận biết", so an exam drawing a full lesson shows one. */
function fiveLessons(): string {
  const block = FIXTURE.slice(FIXTURE.indexOf('  <question type="category">'), FIXTURE.lastIndexOf("</quiz>"));
  const copies = [1, 2, 3, 4, 5].map((n) =>
    block
      .replace("$course$/top/HD61/Bài 1", `$course$/top/HD61/Bài ${n}`)
      .replace("HD61-ANH-001", `HD61-ANH-00${n}`)
      .replace("dưới đây gắn với sự kiện nào?", `dưới đây gắn với sự kiện nào (bài ${n})?`),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n${copies.join("")}</quiz>\n`;
}

test("an imported HTML stem with a picture shows formatted, with its picture, on the exam screen at 360 px", async ({ page }) => {
  await login(page, "giangvien");
  await page.goto("/ngan-hang");
  await page.getByRole("link", { name: /Ngân hàng câu hỏi HD61/ }).click();
  await page.waitForURL(/\/ngan-hang\/\d+$/);
  const bankUrl = page.url();
  await page.getByRole("link", { name: "Nhập từ tệp" }).click();
  await page.getByLabel(/Tệp câu hỏi/).setInputFiles({ name: "anh-tu-lieu.xml", mimeType: "text/xml", buffer: Buffer.from(fiveLessons()) });
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await page.getByRole("button", { name: "Nhập 5 câu hỏi" }).click();
  await expect(page.getByText(/Đã nhập 5 câu hỏi/)).toBeVisible();
  await logout(page);

  // The committee approves them, and sees the picture on the question page.
  await login(page, "bantuyengiao");
  await page.goto(`${bankUrl}?trang-thai=submitted&q=${encodeURIComponent("Bức ảnh")}`);
  const table = page.getByRole("table", { name: "Danh sách câu hỏi" });
  await expect(table.getByRole("link", { name: /<p>|<img/ })).toHaveCount(0);
  await table.getByRole("link", { name: /bài 1\)/ }).click();
  const preview = page.getByTestId("stem-preview");
  await expect(preview.locator("strong")).toHaveText("tư liệu");
  await expect.poll(() => preview.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await page.goto(`${bankUrl}?trang-thai=submitted&q=${encodeURIComponent("Bức ảnh")}`);
  for (const box of await page.getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Duyệt các câu đã chọn" }).click();
  await expect(page.getByText("5 câu hỏi: đã duyệt.")).toBeVisible();
  await logout(page);

  // The centre sets a test that draws every "Nhận biết" question of the smallest lessons.
  await login(page, "canbo.tanlap");
  await page.goto("/lop");
  await page.getByRole("link", { name: /^Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026/ }).click();
  await page.getByRole("link", { name: "Bài kiểm tra của lớp", exact: true }).first().click();
  await page.getByLabel("Tên bài kiểm tra").fill("Kiểm tra ảnh tư liệu");
  await page.getByLabel("Mở lúc").fill("2026-01-01T08:00");
  await page.getByLabel("Đóng lúc").fill("2027-12-31T17:00");
  await page.getByLabel("Nhận biết").fill("9");
  await page.getByLabel("Thông hiểu").fill("0");
  await page.getByLabel("Vận dụng").fill("0");
  await page.getByRole("button", { name: "Tạo và sinh đề" }).click();
  await expect(page.getByText(/^Đã tạo bài kiểm tra và sinh sẵn \d+ đề cho học viên\.$/)).toBeVisible();
  await logout(page);

  await page.setViewportSize({ width: 360, height: 740 });
  await login(page, "hocvien");
  await page.goto("/thi");
  await page.getByRole("link", { name: /Kiểm tra ảnh tư liệu/ }).click();
  await page.getByRole("button", { name: /^(Bắt đầu làm bài|Làm lại bài)$/ }).click();
  await expect(page.getByRole("heading", { name: /Câu 1\/45/ })).toBeVisible();
  const picture = page.locator(".exam-stem .stem-html img");
  for (let i = 1; i < 45 && (await picture.count()) === 0; i++) {
    await page.getByRole("button", { name: "Câu sau →" }).click();
    await expect(page.getByRole("heading", { name: new RegExp(`Câu ${i + 1}/45`) })).toBeVisible();
  }
  await expect(picture).toHaveCount(1);
  await expect(picture).toHaveAttribute("alt", "Hình minh hoạ của câu hỏi");
  await expect(picture).toHaveAttribute("src", /^\/api\/thi\/\d+\/anh\/[0-9a-f]{64}$/);
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  // Formatted, and no markup as text; the picture fits the phone.
  const stem = page.locator(".exam-stem").first();
  await expect(stem.locator("strong")).toHaveText("tư liệu");
  await expect(stem).not.toContainText("<");
  await expect(stem).not.toContainText("@@PLUGINFILE");
  const width = await picture.evaluate((img: HTMLImageElement) => img.getBoundingClientRect().width);
  expect(width).toBeLessThanOrEqual(360);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot(shot("exam-html-stem-phone"));

  // The picture's address answers with the image type and nosniff, and not to another session.
  const src = (await picture.getAttribute("src"))!;
  const res = await page.request.get(src);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/png");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["cache-control"]).toMatch(/^private/);

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot(shot("exam-html-stem-desktop"));
});
