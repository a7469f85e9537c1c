import { expect, test } from "@playwright/test";
import { PHONE, login, shot } from "./helpers";

test("a trainee sits the practice test on a phone, answers while offline, submits and verifies the receipt", async ({ page, context }) => {
  await page.setViewportSize(PHONE);
  await login(page, "hocvien");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Bài kiểm tra" }).click();
  await page.getByRole("link", { name: /Bài kiểm tra thử/ }).click();
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
  await page.screenshot(shot("exam-receipt"));

  // Anyone (no login) can check the receipt.
  await context.clearCookies();
  await page.goto(`/bien-nhan?ma=${receipt}`);
  await expect(page.getByRole("status")).toContainText("Biên nhận hợp lệ");
  await expect(page.getByRole("status")).toContainText("10 câu có trả lời");
  await page.goto("/bien-nhan?ma=AAAA-BBBB-CCCC");
  await expect(page.getByRole("alert")).toContainText("Không tìm thấy bài làm");
});
