import { expect, test } from "@playwright/test";
import { PHONE, login, logout, shot } from "./helpers";

const ROLES = [
  { username: "hocvien", role: "Học viên", menu: ["Hồ sơ của tôi"], notMenu: ["Nhân sự"] },
  { username: "giangvien", role: "Giảng viên", menu: ["Hồ sơ của tôi"], notMenu: ["Cấp tài khoản học viên"] },
  { username: "giamthi", role: "Giám thị", menu: ["Đổi mật khẩu"], notMenu: ["Nhân sự"] },
  { username: "canbo.tanlap", role: "Cán bộ trung tâm", menu: ["Tổ chức", "Nhân sự", "Cấp tài khoản học viên"], notMenu: [] },
  { username: "bantochuc", role: "Ban Tổ chức", menu: ["Tổ chức", "Nhân sự"], notMenu: ["Cấp tài khoản học viên"] },
  { username: "bantuyengiao", role: "Ban Tuyên giáo", menu: ["Tổ chức", "Nhân sự"], notMenu: ["Cấp tài khoản học viên"] },
  { username: "bithu", role: "Bí thư chi bộ", menu: ["Nhân sự", "Hồ sơ của tôi"], notMenu: ["Cấp tài khoản học viên"] },
  { username: "admin", role: "Quản trị hệ thống", menu: ["Tổ chức", "Nhân sự", "Cấp tài khoản học viên"], notMenu: [] },
];

test.describe("login per role", () => {
  for (const r of ROLES) {
    test(`${r.username} sees the home page and menu of ${r.role}`, async ({ page }) => {
      await page.setViewportSize(PHONE);
      await login(page, r.username);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Xin chào");
      const nav = page.getByRole("navigation", { name: "Điều hướng chính" });
      for (const item of r.menu) await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
      for (const item of r.notMenu) await expect(nav.getByRole("link", { name: item, exact: true })).toHaveCount(0);
      await expect(page.locator(".card strong").first()).toHaveText(r.role);
      if (r.username === "hocvien" || r.username === "canbo.tanlap") await page.screenshot(shot(`home-${r.username}-phone`));
      await logout(page);
    });
  }
});

test("the login page on a phone, and a wrong password", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await page.goto("/");
  await expect(page).toHaveURL(/\/dang-nhap$/);
  await expect(page.getByRole("heading", { name: "Đăng nhập" })).toBeVisible();
  await page.screenshot(shot("login-phone"));
  await login(page, "hocvien", "sai-mat-khau", { expectFailure: true });
  await expect(page.getByRole("alert")).toHaveText("Tên đăng nhập hoặc mật khẩu không đúng.");
  await expect(page.getByLabel("Tên đăng nhập")).toHaveValue("hocvien");
});

test("a centre admin cannot open a person of another commune by URL", async ({ page }) => {
  await login(page, "canbo.binhminh");
  await page.goto("/nhan-su");
  await expect(page.getByRole("link", { name: "Đỗ Thu Hà" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Nguyễn Thị Mai" })).toHaveCount(0);
  await logout(page);

  await login(page, "canbo.tanlap");
  await page.goto("/nhan-su");
  const href = await page.getByRole("link", { name: "Nguyễn Thị Mai" }).getAttribute("href");
  expect(href).toMatch(/^\/nhan-su\/\d+$/);
  await logout(page);

  await login(page, "canbo.binhminh");
  const res = await page.goto(href!);
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Không có quyền truy cập" })).toBeVisible();
  await expect(page.getByText("Bạn không có quyền xem thông tin của đơn vị này.")).toBeVisible();
  await expect(page.getByText("Nguyễn Thị Mai")).toHaveCount(0);
  // The account-import page is refused to a trainee as well.
  await logout(page);
  await login(page, "hocvien");
  expect((await page.goto("/tai-khoan/nhap"))?.status()).toBe(403);
});
