import { expect, test } from "@playwright/test";
import { PHONE, createPracticeTest, failOnConsoleErrors, login, shot } from "./helpers";

// This journey's own practice test: no other spec sits it, whatever order they run in.
const PRACTICE = "Luyện tập trên điện thoại — hành trình thi";

// The second test reads the results of the first one's submission.
test.describe.configure({ mode: "serial" });

test("a trainee sits the practice test on a phone, answers while offline, submits, reviews the answers and verifies the receipt", async ({
  page,
  context,
  browser,
}) => {
  await createPracticeTest(browser, PRACTICE);
  await page.setViewportSize(PHONE);
  await login(page, "hocvien");
  const clean = failOnConsoleErrors(page, { ignore: [/Failed to load resource|ERR_INTERNET_DISCONNECTED|WebSocket/i] });
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Bài kiểm tra" }).click();
  await page.getByRole("link", { name: new RegExp(PRACTICE) }).click();
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();

  const state = page.getByTestId("save-state");
  await expect(page.getByRole("heading", { name: /Câu 1\/10/ })).toBeVisible();
  await expect(page.getByText("Đã kết nối")).toBeVisible();
  await page.locator(".exam-choice").first().click();
  await expect(state).toHaveText("✓ Đã lưu");
  await page.screenshot(shot("exam-phone"));

  // Offline: the answer is kept in the browser's journal and marked not saved.
  await context.setOffline(true);
  await page.getByRole("button", { name: "Câu sau →" }).click();
  await page.locator(".exam-choice").nth(1).click();
  await expect(state).toHaveText("Chưa lưu — sẽ tự gửi lại khi có mạng", { timeout: 20_000 });
  await page.screenshot(shot("exam-offline"));
  await context.setOffline(false);
  await expect(state).toHaveText("✓ Đã lưu", { timeout: 20_000 });

  for (let i = 2; i < 10; i++) {
    await page.getByRole("button", { name: "Câu sau →" }).click();
    await expect(page.getByRole("heading", { name: new RegExp(`Câu ${i + 1}/10`) })).toBeVisible();
    await page.locator(".exam-choice").first().click();
    await expect(state).toHaveText("✓ Đã lưu");
  }
  await expect(page.getByText("Đã trả lời 10/10")).toBeVisible();
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Nộp bài" }).click();
  const receipt = (await page.getByTestId("receipt").innerText()).trim();
  expect(receipt).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  // A practice test teaches: the score at once, then every question with its key and explanation.
  await expect(page.getByTestId("result-score")).toContainText(/Điểm: \d/);
  await expect(page.getByTestId("result-score")).toContainText(/^Điểm: [\d,]+ · (Chưa đạt|Đạt · xếp loại .+)$/);
  await page.screenshot(shot("exam-receipt"));
  await page.getByRole("link", { name: "Xem lại bài làm và đáp án" }).click();
  await expect(page.getByTestId("review-item")).toHaveCount(10);
  await expect(page.getByTestId("review-key").first()).toContainText(/Bạn chọn: .+ · Đáp án đúng: [A-Z]/);
  await expect(page.getByText("Giải thích:").first()).toBeVisible();
  await page.screenshot(shot("exam-practice-review"));
  // The list leads to the review of a submitted test, and the review to another attempt.
  await page.goto("/thi");
  await page.getByRole("link", { name: new RegExp(PRACTICE) }).click();
  await expect(page).toHaveURL(/\/thi\/\d+\/xem-lai$/);
  await expect(page.getByRole("link", { name: "Làm lại bài" })).toBeVisible();
  clean();

  // Anyone (no login) can check the receipt.
  await context.clearCookies();
  await page.goto(`/bien-nhan?ma=${receipt}`);
  await expect(page.getByRole("status")).toContainText("Biên nhận hợp lệ");
  await expect(page.getByRole("status")).toContainText("10 câu có trả lời");
  await page.goto("/bien-nhan?ma=AAAA-BBBB-CCCC");
  await expect(page.getByRole("alert")).toContainText("Không tìm thấy bài làm");
});

test("the centre creates a test for a class, and reads results with the score chart and item analysis", async ({ page }) => {
  await login(page, "canbo.tanlap");
  await page.goto("/lop");
  await page.getByRole("link", { name: /^Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026/ }).click();
  await page.getByRole("link", { name: "Bài kiểm tra của lớp", exact: true }).first().click();
  await page.getByLabel("Mở lúc").fill("2026-11-20T08:00");
  await page.getByLabel("Đóng lúc").fill("2026-11-19T08:00");
  await page.getByRole("button", { name: "Tạo và sinh đề" }).click();
  await expect(page.getByText("Giờ đóng phải sau giờ mở.")).toBeVisible();
  await page.getByLabel("Đóng lúc").fill("2027-12-31T17:00");
  await page.getByLabel("Vận dụng").fill("9");
  await page.getByRole("button", { name: "Tạo và sinh đề" }).click();
  await expect(page.getByRole("alert")).toContainText(/mức vận dụng cần 9, có \d+/);
  await page.getByLabel("Vận dụng").fill("1");
  await page.getByRole("button", { name: "Tạo và sinh đề" }).click();
  await expect(page.getByText(/^Đã tạo bài kiểm tra và sinh sẵn \d+ đề cho học viên\.$/)).toBeVisible();

  // What trainees see stays editable; an official test never offers the key at submission, and may release it early.
  const official = page.getByRole("row", { name: /^Kiểm tra cuối khóa — / });
  await expect(official.getByLabel("Học viên xem lại bài:")).toHaveValue("score_only");
  await expect(official.getByRole("option", { name: /ngay sau khi nộp/ })).toHaveCount(0);
  await official.getByLabel("Học viên xem lại bài:").selectOption("answers_after_close");
  await official.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu chế độ xem lại bài.")).toBeVisible();
  await official.getByRole("button", { name: "Công bố đáp án ngay" }).click();
  await expect(page.getByText(/^Đã công bố đáp án/)).toBeVisible();
  await expect(official).toContainText("đã công bố đáp án lúc");

  const practice = page.getByRole("row", { name: new RegExp(PRACTICE) });
  await expect(practice).toContainText(/\b1\/\d+/); // one trainee has handed in, however many times
  await practice.getByRole("link", { name: "Xem kết quả" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(PRACTICE);
  await expect(page.getByRole("table", { name: "Kết quả từng học viên" })).toContainText("Nguyễn Thị Mai");
  await expect(page.getByRole("img", { name: /Số học viên theo điểm/ })).toBeVisible();
  await page.screenshot(shot("exam-results"));
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải kết quả (.xlsx)" }).click();
  expect((await download).suggestedFilename()).toMatch(/^ket-qua-kiem-tra-\d+\.xlsx$/);
});
