import { expect, test } from "@playwright/test";
import { PHONE, login, logout, shot } from "./helpers";

test("import a trainee list with a bad row, import the valid rows, and the new trainee sets a password", async ({ page }) => {
  await login(page, "canbo.tanlap");
  await page.goto("/tai-khoan/nhap");
  await page.getByLabel(/Tệp danh sách/).setInputFiles("tests/fixtures/imports/hoc-vien-co-loi.csv");
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();

  const errors = page.getByRole("table", { name: "Các lỗi trong tệp" });
  await expect(errors).toBeVisible();
  await expect(errors.getByRole("row")).toHaveCount(5);
  await expect(errors.getByRole("row").nth(1)).toContainText("3");
  await expect(errors.getByRole("row").nth(1)).toContainText("“31/02/2005” không phải ngày hợp lệ");
  await expect(errors).toContainText("Không tìm thấy đơn vị “Chi bộ khu phố 3”");
  await page.screenshot(shot("import-preview-errors"));

  await page.getByRole("button", { name: "Chỉ nhập 1 dòng hợp lệ" }).click();
  await expect(page.getByRole("heading", { name: "Đã cấp 1 tài khoản" })).toBeVisible();
  const row = page.getByRole("row", { name: /Phạm Minh Tuấn/ });
  const cells = row.getByRole("cell");
  const username = (await cells.nth(4).innerText()).trim();
  const password = (await cells.nth(5).innerText()).trim();
  expect(username).toMatch(/^hv\d{6}$/);
  await page.screenshot(shot("import-credentials"));
  await logout(page);

  await page.setViewportSize(PHONE);
  await login(page, username, password);
  await expect(page).toHaveURL(/\/doi-mat-khau$/);
  await expect(page.getByText("Đây là lần đăng nhập đầu tiên")).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/doi-mat-khau$/); // no way around it
  await page.getByLabel("Mật khẩu hiện tại").fill(password);
  await page.getByLabel("Mật khẩu mới", { exact: true }).fill("1234");
  await page.getByLabel("Nhập lại mật khẩu mới").fill("1234");
  await page.getByRole("button", { name: "Lưu mật khẩu mới" }).click();
  await expect(page.getByText("Mật khẩu phải có ít nhất 8 ký tự.")).toBeVisible();
  await page.getByLabel("Mật khẩu hiện tại").fill(password);
  await page.getByLabel("Mật khẩu mới", { exact: true }).fill("Tuấn-Tân-Lập-26");
  await page.getByLabel("Nhập lại mật khẩu mới").fill("Tuấn-Tân-Lập-26");
  await page.getByRole("button", { name: "Lưu mật khẩu mới" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Xin chào, Phạm Minh Tuấn");
});

test("a file that is not a spreadsheet gets a clear message and nothing is imported", async ({ page }) => {
  await login(page, "canbo.tanlap");
  await page.goto("/tai-khoan/nhap");
  await page
    .getByLabel(/Tệp danh sách/)
    .setInputFiles({ name: "danh-sach.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from("đây không phải tệp Excel") });
  await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
  await expect(page.getByRole("alert")).toContainText("Tệp .xlsx bị hỏng hoặc không phải tài liệu Excel");
});
