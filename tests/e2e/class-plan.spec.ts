import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { PHONE, login, logout, shot } from "./helpers";

/**
 * Issue #7, part 1, end to end: the centre plans a class, a cell secretary sends the
 * nominee list from a phone (one bad row first), the organisation board verifies and
 * decides, the centre opens the class and prints the call-up letters, and a trainee
 * logs in with the printed account.
 */
test.describe.configure({ mode: "serial" });

async function optionValue(page: Page, select: string, text: string) {
  const v = await page.locator(`${select} option`, { hasText: text }).first().getAttribute("value");
  if (!v) throw new Error(`no option "${text}" in ${select}`);
  return v;
}

test("plan → nomination import with a bad row → board approval → open class → call-up letters", async ({ page }) => {
  mkdirSync("test-results/screenshots", { recursive: true });
  mkdirSync("test-results/class-plan", { recursive: true });

  // 1. The centre adds a class to the 2026 plan.
  await login(page, "canbo.tanlap");
  await page.goto("/ke-hoach?nam=2026");
  await expect(page.getByRole("heading", { name: "Kế hoạch bồi dưỡng năm 2026" })).toBeVisible();
  await page.getByText("Thêm lớp vào kế hoạch").first().click();
  await page.getByLabel("Chương trình").first().selectOption("hd61");
  await page.getByLabel("Tên khóa").first().fill("Khóa 3");
  await page.getByLabel("Tháng mở lớp").first().selectOption("11");
  await page.getByLabel("Chỉ tiêu (số học viên)").first().fill("30");
  await page.getByLabel("Đối tượng").first().fill("giáo viên, học sinh");
  await page.getByRole("button", { name: "Thêm vào kế hoạch" }).first().click();
  await expect(page.getByRole("status")).toHaveText("Đã thêm lớp vào kế hoạch.");
  const item = page.getByRole("listitem", { name: "Bồi dưỡng nhận thức về Đảng Khóa 3" });
  await expect(item).toContainText("0/30");
  await page.screenshot(shot("class-plan-1-plan"));
  await logout(page);

  // 2. The cell secretary sends the list from a phone: the bad row is named, nothing is sent.
  await page.setViewportSize(PHONE);
  await login(page, "bithu");
  await page.goto("/de-cu/nhap");
  await page.getByLabel("Chương trình").selectOption("hd61");
  await page.getByLabel("Lớp theo kế hoạch").selectOption(await optionValue(page, "#planItemId", "Khóa 3 năm 2026"));
  await page.getByLabel(/Tệp danh sách/).setInputFiles("tests/fixtures/nominations/de-cu-co-loi.csv");
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  const errors = page.getByRole("table", { name: "Các lỗi trong tệp" });
  await expect(errors.getByRole("row")).toHaveCount(2);
  await expect(errors.getByRole("row").nth(1)).toContainText("3");
  await expect(errors.getByRole("row").nth(1)).toContainText("Ngày sinh");
  await expect(errors).toContainText("“31/02/2007” không phải ngày hợp lệ");
  await expect(page.getByRole("button", { name: /Gửi \d+ người/ })).toHaveCount(0);
  await page.screenshot(shot("class-plan-2-import-error"));

  await page.getByLabel("Chương trình").selectOption("hd61");
  await page.getByLabel("Lớp theo kế hoạch").selectOption(await optionValue(page, "#planItemId", "Khóa 3 năm 2026"));
  await page.getByLabel(/Tệp danh sách/).setInputFiles("tests/fixtures/nominations/de-cu-hop-le.csv");
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(page.getByRole("heading", { name: "Kết quả kiểm tra tệp “de-cu-hop-le.csv”" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Các dòng hợp lệ" })).toContainText(
    "Hà Văn Sùng — dòng 5, sinh ngày 10/10/1990 Cần xét ngoại lệ",
  );
  await page.screenshot(shot("class-plan-3-import-preview"));
  await page.getByRole("button", { name: "Gửi 4 người được đề cử" }).click();
  await expect(page.getByRole("heading", { name: "Đã gửi 4 người được đề cử" })).toBeVisible();
  await logout(page);

  // 3. The organisation board verifies each nominee.
  await login(page, "bantochuc");
  await page.goto("/xet-duyet");
  const card = (name: string) => page.getByRole("listitem", { name });
  await expect(card("Hà Văn Sùng")).toContainText("Tiểu học — thấp hơn yêu cầu tối thiểu Trung học cơ sở");
  await page.screenshot(shot("class-plan-4-review"));
  await card("Hà Văn Sùng").screenshot({ path: "test-results/screenshots/class-plan-4b-review-card.png" });
  await card("Trịnh Văn Nam").getByRole("button", { name: "Duyệt", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Trịnh Văn Nam: đã duyệt.");
  await card("Đặng Thị Thảo").getByRole("button", { name: "Duyệt", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Đặng Thị Thảo: đã duyệt.");
  // Without the override and its reason the board is told what is missing.
  await card("Hà Văn Sùng").getByRole("button", { name: "Duyệt", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Hà Văn Sùng cần xét ngoại lệ: trình độ học vấn");
  await card("Hà Văn Sùng").getByLabel("Trình độ học vấn").check();
  await card("Hà Văn Sùng").getByLabel(/Lý do/).fill("Người dân tộc Mông ở thôn vùng cao, được xét ngoại lệ.");
  await card("Hà Văn Sùng").getByRole("button", { name: "Duyệt", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Hà Văn Sùng: đã duyệt.");
  await card("Bùi Thị Hoa").getByLabel(/Lý do/).fill("Đã học lớp cảm tình Đảng ở xã khác năm 2025.");
  await card("Bùi Thị Hoa").getByRole("button", { name: "Không duyệt" }).click();
  await expect(page.getByRole("status")).toHaveText("Bùi Thị Hoa: không duyệt.");
  await logout(page);

  // 4. The unit sees the outcome, with the reason.
  await login(page, "bithu");
  await page.goto("/de-cu");
  await expect(card("Bùi Thị Hoa")).toContainText("Không duyệt");
  await expect(card("Bùi Thị Hoa")).toContainText("Lý do: Đã học lớp cảm tình Đảng ở xã khác năm 2025.");
  await expect(card("Hà Văn Sùng")).toContainText("Đã duyệt");
  await page.screenshot(shot("class-plan-5-unit-outcome"));
  await logout(page);

  // 5. The centre opens the class from the plan item.
  await page.setViewportSize({ width: 1280, height: 900 });
  await login(page, "canbo.tanlap");
  await page.goto("/ke-hoach?nam=2026");
  await page.getByRole("listitem", { name: "Bồi dưỡng nhận thức về Đảng Khóa 3" }).getByRole("link", { name: "Mở lớp" }).click();
  await expect(page.getByLabel(/Trịnh Văn Nam/)).toBeChecked();
  await expect(page.getByLabel(/Phạm Thu Trang/)).not.toBeChecked(); // approved for another plan item
  await page.getByLabel("Địa điểm").fill("Hội trường Trường THPT Tân Lập");
  await page.getByLabel("Ngày khai giảng").fill("2026-11-09");
  await page.getByLabel("Ngày bế giảng").fill("2026-11-13");
  await page.screenshot(shot("class-plan-6-open"));
  await page.getByRole("button", { name: "Mở lớp và xếp học viên" }).click();
  await expect(page.getByRole("status")).toContainText("Đã mở lớp và xếp 3 học viên");
  const trainees = page.getByRole("table", { name: "Học viên của lớp" });
  await expect(trainees.getByRole("row").nth(1)).toContainText("Trịnh Văn Nam");
  await expect(trainees.getByRole("row").nth(2)).toContainText("Hà Văn Sùng");
  await expect(trainees.getByRole("row").nth(3)).toContainText("Đặng Thị Thảo");
  await expect(page.getByText(/Quyết định mở lớp: số \d{2}-QĐ\/TTCT/)).toBeVisible();
  await page.screenshot(shot("class-plan-6b-papers"));

  // 6. Call-up letters for the whole class: confirm, download, read back.
  const form = page.getByRole("form", { name: "In giấy triệu tập cả lớp" });
  await form.getByLabel(/Tôi hiểu/).check();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    form.getByRole("button", { name: "In giấy triệu tập cả lớp (PDF)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("giay-trieu-tap-lop-boi-duong-nhan-thuc-ve-dang-khoa-3-nam-2026.pdf");
  const pdf = "test-results/class-plan/giay-trieu-tap.pdf";
  await download.saveAs(pdf);
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"]).toString();
  for (const s of [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG ỦY XÃ TÂN LẬP",
    "TRUNG TÂM CHÍNH TRỊ",
    "GIẤY TRIỆU TẬP",
    "Học viên dự lớp bồi dưỡng nhận thức về Đảng",
    "Trung tâm Chính trị xã Tân Lập trân trọng triệu tập:",
    "Đồng chí: Hà Văn Sùng",
    "Đến dự: Lớp bồi dưỡng nhận thức về Đảng, khóa 3 năm 2026",
    "Thời gian: từ ngày 09/11/2026 đến ngày 13/11/2026",
    "Địa điểm: Hội trường Trường THPT Tân Lập",
    "Tài khoản học tập, kiểm tra trực tuyến",
    "Quét mã để đăng nhập",
    "GIÁM ĐỐC",
    "Lê Văn Hùng",
  ])
    expect(text).toContain(s);
  expect(text).toMatch(/Số \d{2}-GTT\/TTCT/);
  expect(execFileSync("pdfinfo", [pdf]).toString()).toMatch(/Pages:\s+3/);
  execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", pdf, "test-results/screenshots/class-plan-7-callup-letter"]);
  const page1 = execFileSync("pdftotext", ["-f", "1", "-l", "1", pdf, "-"]).toString();
  const username = /Tên đăng nhập: (\S+)/.exec(page1)![1]!;
  const password = /Mật khẩu ban đầu: (\S+)/.exec(page1)![1]!;
  expect(page1).toContain("Trịnh Văn Nam");

  // The decision to open the class, and the seating plan.
  const decision = await page.request.get(page.url().replace(/giay-trieu-tap.*$/, "tep/quyet-dinh.pdf"));
  expect(decision.headers()["content-type"]).toBe("application/pdf");
  await page.getByRole("link", { name: "Sơ đồ chỗ ngồi" }).click();
  await expect(page.getByRole("cell").first()).toContainText("Trịnh Văn Nam");
  await page.screenshot(shot("class-plan-8-seating"));
  await logout(page);

  // 7. The trainee logs in on a phone with the printed account and must choose a password.
  await page.setViewportSize(PHONE);
  await login(page, username, password);
  await expect(page).toHaveURL(/\/doi-mat-khau$/);
});
