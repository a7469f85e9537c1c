import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { PHONE, login, shot } from "./helpers";

/**
 * Two browsers: a trainee on a phone sits the demo's proctored session; the proctor on
 * a laptop starts the room, sees the answers and a tab switch arrive, adds five minutes
 * (the trainee's timer changes), moves her attempt to a laptop when her phone fails (the
 * phone is then refused and says so), ends the session and prints the incident report.
 */
test("a proctor watches a trainee live, adds time, ends the session and prints the incident report", async ({ browser }) => {
  test.setTimeout(180_000);
  const proctorCtx = await browser.newContext({ locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh", viewport: { width: 1280, height: 860 } });
  const traineeCtx = await browser.newContext({
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
  });
  const proctor = await proctorCtx.newPage();
  const trainee = await traineeCtx.newPage();

  // The trainee arrives first and waits in the room.
  await login(trainee, "hocvien");
  await trainee.goto("/thi");
  await trainee.getByRole("link", { name: /Kiểm tra kết thúc khóa học — ca 1/ }).click();
  await trainee.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await expect(trainee.getByTestId("start-message")).toContainText("Chờ giám thị cho bắt đầu");
  await expect(trainee.getByTestId("waiting-room")).toBeVisible();

  // The proctor sees her present and starts the room.
  await login(proctor, "giamthi");
  await proctor.goto("/giam-thi");
  await proctor.getByRole("link", { name: "Vào phòng coi thi" }).first().click();
  await expect(proctor.getByText("Trực tiếp")).toBeVisible();
  const card = proctor.getByRole("button", { name: /^Nguyễn Thị Mai, / });
  await expect(card).toContainText("Có mặt, chờ");
  await proctor.getByRole("button", { name: "Cho cả phòng bắt đầu" }).click();
  await expect(proctor.getByTestId("proctor-notice")).toContainText("bắt đầu");

  // The trainee's page starts by itself.
  await expect(trainee.getByRole("heading", { name: /Câu 1\/10/ })).toBeVisible({ timeout: 20_000 });
  await trainee.locator(".exam-choice").first().click();
  await expect(trainee.getByTestId("save-state")).toHaveText("✓ Đã lưu");
  await trainee.getByRole("button", { name: "Câu sau →" }).click();
  await trainee.locator(".exam-choice").nth(1).click();
  await expect(trainee.getByTestId("save-state")).toHaveText("✓ Đã lưu");
  await expect(card).toContainText("2/10 câu", { timeout: 10_000 });
  await expect(card).toContainText("Đang làm");

  // A tab switch: the page becomes hidden (what Chromium reports when another tab is in front).
  await trainee.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
    Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
  });
  await expect(proctor.getByTestId("events")).toContainText("Rời khỏi trang thi", { timeout: 10_000 });
  await expect(card).toContainText("⚠ 1");
  await proctor.screenshot({ path: "test-results/screenshots/proctor-console.png", fullPage: true });

  // Five more minutes for her: her timer jumps.
  const timer = trainee.getByRole("timer");
  const minutesLeft = async () => Number(/Còn (\d+):/.exec(await timer.innerText())![1]);
  const before = await minutesLeft();
  await card.click();
  const panel = proctor.getByTestId("person-panel");
  await panel.getByLabel("Lý do (bắt buộc, ghi vào biên bản)").fill("Máy hết pin, cắm sạc");
  await panel.getByRole("button", { name: "Cộng 5 phút" }).click();
  await expect(proctor.getByTestId("proctor-notice")).toContainText("Đã cộng 5 phút");
  await expect.poll(minutesLeft, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 4);
  await trainee.screenshot(shot("exam-proctored-phone"));

  // A warning reaches her screen.
  await panel.getByLabel("Nhắc nhở riêng").fill("Đề nghị giữ trật tự trong phòng thi");
  await panel.getByRole("button", { name: "Gửi" }).click();
  await expect(trainee.getByRole("alert").filter({ hasText: "Đề nghị giữ trật tự" })).toBeVisible();

  // Her phone fails; she opens the exam on a laptop (same account, another device). The
  // laptop holds no device token: it cannot answer, it asks the proctor (decision 018).
  const laptopCtx = await browser.newContext({ locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh", viewport: { width: 1280, height: 860 } });
  const laptop = await laptopCtx.newPage();
  await login(laptop, "hocvien");
  await laptop.goto(trainee.url());
  await expect(laptop.getByTestId("start-message")).toContainText("Bài làm đang mở trên một thiết bị khác", { timeout: 20_000 });
  await expect(laptop.getByRole("heading", { name: /Câu 1\/10/ })).toHaveCount(0);
  await panel.getByLabel("Lý do (bắt buộc, ghi vào biên bản)").fill("Điện thoại hỏng, chuyển sang máy tính");
  await panel.getByRole("button", { name: "Cho chuyển sang thiết bị mới" }).click();
  await expect(proctor.getByTestId("proctor-notice")).toContainText("Đã cho chuyển sang thiết bị mới");
  // The phone says what happened and what to do; the laptop goes on by itself with her saved answers.
  await expect(trainee.getByTestId("exam-overlay")).toContainText("Bài làm đã chuyển sang thiết bị khác", { timeout: 10_000 });
  await expect(trainee.getByTestId("exam-overlay")).toContainText("hãy báo giám thị");
  await trainee.screenshot(shot("exam-device-replaced"));
  await expect(laptop.getByRole("heading", { name: /Câu 1\/10/ })).toBeVisible({ timeout: 20_000 });
  await laptop.getByRole("button", { name: "Câu sau →" }).click();
  await laptop.getByRole("button", { name: "Câu sau →" }).click();
  await laptop.locator(".exam-choice").first().click();
  await expect(laptop.getByTestId("save-state")).toHaveText("✓ Đã lưu");
  await expect(card).toContainText("3/10 câu", { timeout: 10_000 });

  // The proctor ends the session: her attempt is collected and she gets her receipt.
  proctor.once("dialog", (d) => void d.accept());
  await proctor.getByLabel("Lý do (ghi vào biên bản)").fill("Hết giờ làm bài của ca thi");
  await proctor.getByRole("button", { name: "Kết thúc ca thi" }).click();
  await expect(proctor.getByTestId("proctor-notice")).toContainText("Đã kết thúc ca thi");
  await expect(card).toContainText("Đã nộp", { timeout: 10_000 });
  await expect(laptop.getByText("Đã nộp bài")).toBeVisible({ timeout: 20_000 });
  await proctor.screenshot({ path: "test-results/screenshots/proctor-console-ended.png", fullPage: true });

  // The incident report, as the proctor prints it.
  const res = await proctor.request.get(proctor.url().replace(/\/?$/, "/bien-ban.pdf"));
  expect(res.ok()).toBe(true);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  fs.mkdirSync("test-results/screenshots", { recursive: true });
  fs.writeFileSync("test-results/bien-ban.pdf", await res.body());
  const text = execFileSync("pdftotext", ["test-results/bien-ban.pdf", "-"]).toString().replace(/\s+/g, " ");
  for (const s of [
    "BIÊN BẢN",
    "Kiểm tra kết thúc khóa học — ca 1",
    "Nguyễn Thị Mai",
    "Rời khỏi trang thi",
    "Máy hết pin, cắm sạc",
    "Hết giờ làm bài của ca thi",
    "Cho cả phòng bắt đầu",
  ])
    expect(text).toContain(s);
  execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "test-results/bien-ban.pdf", "test-results/screenshots/bien-ban"]);

  await proctorCtx.close();
  await traineeCtx.close();
  await laptopCtx.close();
});

test("a proctor cannot open a session that is not theirs, and a committee member only watches", async ({ page }) => {
  await login(page, "giamthi");
  await page.goto("/giam-thi");
  const href = (await page
    .getByRole("link", { name: /Vào phòng coi thi|Xem phòng thi/ })
    .first()
    .getAttribute("href"))!;
  await page.context().clearCookies();
  await login(page, "canbo.binhminh");
  const res = await page.goto(href);
  expect(res?.status()).toBe(403);
  await page.context().clearCookies();
  await login(page, "bantuyengiao");
  await page.goto("/ket-qua-truc-tiep");
  await expect(page.getByRole("heading", { name: "Kết quả trực tiếp" })).toBeVisible();
  await expect(page.getByText("Đang cập nhật trực tiếp")).toBeVisible();
  await page.screenshot(shot("live-results"));
});
