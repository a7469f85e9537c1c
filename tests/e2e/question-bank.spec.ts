import { expect, test } from "@playwright/test";
import { login, logout, shot } from "./helpers";
import { lecturerWordFile } from "../fixtures/questions/word-journey";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

test("lecturer imports a Word file with one bad question, fixes it, imports; committee approves", async ({ page }) => {
  await login(page, "giangvien");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Ngân hàng câu hỏi" }).click();
  await page.getByRole("link", { name: /Ngân hàng câu hỏi HD61/ }).click();
  await page.getByRole("link", { name: "Nhập từ tệp" }).click();

  await page
    .getByLabel(/Tệp câu hỏi/)
    .setInputFiles({ name: "cau-hoi-bai-5.docx", mimeType: DOCX, buffer: Buffer.from(await lecturerWordFile(true)) });
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  const errors = page.getByRole("alert", { name: "Lỗi trong tệp" });
  await expect(errors).toContainText(/Câu 2 \(đoạn \d+\)/);
  await expect(page.getByText("Chưa có câu hỏi nào được nhập.")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Nhập \d+ câu hỏi$/ })).toHaveCount(0);
  await page.screenshot(shot("bank-import-error"));

  await page
    .getByLabel(/Tệp câu hỏi/)
    .setInputFiles({ name: "cau-hoi-bai-5.docx", mimeType: DOCX, buffer: Buffer.from(await lecturerWordFile(false)) });
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(page.getByText("3 câu hợp lệ")).toBeVisible();
  await page.getByRole("button", { name: "Nhập 3 câu hỏi" }).click();
  await expect(page.getByText(/Đã nhập 3 câu hỏi/)).toBeVisible();
  await logout(page);

  await login(page, "bantuyengiao");
  await page.goto("/ngan-hang");
  await page.getByRole("link", { name: /Ngân hàng câu hỏi HD61/ }).click();
  await page.getByLabel("Trạng thái").selectOption("submitted");
  await page.getByRole("button", { name: "Lọc" }).click();
  const table = page.getByRole("table", { name: "Danh sách câu hỏi" });
  await expect(table.getByRole("row")).toHaveCount(4);
  await page.screenshot(shot("bank-review-list"));
  await table.getByRole("link", { name: /Thời gian dự bị/ }).click();
  await expect(page.getByLabel("Nội dung câu hỏi")).toHaveValue("Thời gian dự bị của đảng viên là bao lâu?");
  await page.getByRole("button", { name: "Duyệt", exact: true }).click();
  await expect(page.getByText("Đã duyệt câu hỏi.")).toBeVisible();
  await expect(page.getByText("Trạng thái: Đã duyệt")).toBeVisible();
  await page.screenshot(shot("bank-question-approved"));
  await page.goBack();
  await page.goto(page.url().replace(/\/cau-hoi\/.*/, "?trang-thai=submitted"));
  for (const box of await page.getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Duyệt các câu đã chọn" }).click();
  await expect(page.getByText("2 câu hỏi: đã duyệt.")).toBeVisible();
});

// Issue 14, item 1: "Lưu và gửi duyệt" on a new question froze the embedded database
// (a read on the outer handle inside the save's transaction). The journey's server runs
// with the transaction guard on (playwright.config.ts), so such a read now fails loudly.
test("lecturer writes a new question and saves it for review; the server keeps answering", async ({ page }) => {
  await login(page, "giangvien");
  await page.goto("/ngan-hang");
  await page.getByRole("link", { name: /Ngân hàng câu hỏi HD61/ }).click();
  await page.getByRole("link", { name: "Thêm câu hỏi" }).click();
  await expect(page.getByRole("heading", { name: "Thêm câu hỏi" })).toBeVisible();
  // Fill after hydration: on a busy machine an early fill of the lesson and level was lost.
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Bài").fill("2");
  await page.getByLabel("Mức độ").selectOption("nhan_biet");
  await page.getByLabel("Nội dung câu hỏi").fill("Hội nghị thành lập Đảng Cộng sản Việt Nam họp ở đâu?");
  await page.getByLabel("Phương án A", { exact: true }).fill("Quảng Châu (Trung Quốc)");
  await page.getByLabel("Phương án B", { exact: true }).fill("Cửu Long (Hương Cảng, Trung Quốc)");
  await page.getByLabel("Phương án B đúng").check();
  await page.getByLabel("Phương án C", { exact: true }).fill("Hà Nội");
  await page.getByLabel("Văn bản làm căn cứ").fill("Lịch sử Đảng Cộng sản Việt Nam");
  await expect(page.getByLabel("Bài")).toHaveValue("2");
  await expect(page.getByLabel("Mức độ")).toHaveValue("nhan_biet");
  await page.getByRole("button", { name: "Lưu và gửi duyệt" }).click();
  await expect(page.getByText("Đã lưu và gửi duyệt.")).toBeVisible({ timeout: 15_000 });
  await expect(page).toHaveURL(/\/cau-hoi\/\d+\?da-luu=gui/);
  const health = await page.request.get("/healthz", { timeout: 5_000 });
  expect(health.ok()).toBe(true);
  // A page that reads the database still answers.
  await page.goto("/ngan-hang");
  await expect(page.getByRole("link", { name: /Ngân hàng câu hỏi HD61/ })).toBeVisible({ timeout: 5_000 });
});
