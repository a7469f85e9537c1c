import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import jsQR from "jsqr";
import { createRequire } from "node:module";
import { PHONE, login, shot } from "./helpers";

/**
 * Issue #7, part 2, end to end on phones: the centre fixes the timetable, scans a
 * trainee's personal QR through a stubbed camera that shows a real QR image (the
 * page's own jsQR decoding reads it), the trainee checks in with the projector's
 * rotating code, results are computed, a certificate is reissued, the PDFs are read
 * back, and anyone can verify the certificate without logging in.
 */

// pngjs (a dependency of qrcode) ships no types; this is the one call used.
const { PNG } = createRequire(import.meta.url)("pngjs") as {
  PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } };
};

const CLASS = "Lớp bồi dưỡng nhận thức về Đảng, khóa 1 năm 2026";

/** Replaces the camera with a canvas stream drawing `dataUrl`: the page decodes real frames. */
async function stubCamera(page: Page, dataUrl: string) {
  await page.addInitScript((src: string) => {
    const img = new Image();
    img.src = src;
    const canvas = document.createElement("canvas");
    canvas.width = 480;
    canvas.height = 360;
    const ctx = canvas.getContext("2d")!;
    const draw = () => {
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      if (img.complete) ctx.drawImage(img, 120, 60, 240, 240);
      requestAnimationFrame(draw);
    };
    draw();
    navigator.mediaDevices.getUserMedia = async () => canvas.captureStream(10);
  }, dataUrl);
}

function decodeQr(dataUrl: string): string {
  const png = PNG.sync.read(Buffer.from(dataUrl.split(",")[1]!, "base64"));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error("QR not decoded");
  return code.data;
}

function todayVn(): string {
  const d = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  return d.split("-").reverse().join("/");
}

function pdfText(bytes: Buffer, name: string): string {
  mkdirSync("test-results/class-records", { recursive: true });
  const f = `test-results/class-records/${name}.pdf`;
  writeFileSync(f, bytes);
  execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", f, `test-results/screenshots/class-records-${name}`]);
  return execFileSync("pdftotext", ["-layout", f, "-"], { encoding: "utf8" });
}

test("attendance by QR on phones → results → certificate PDF → public verification", async ({ browser }) => {
  test.setTimeout(120_000);
  // The trainee's phone: her personal attendance QR.
  const traineeCtx = await browser.newContext({ viewport: PHONE, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
  const trainee = await traineeCtx.newPage();
  await login(trainee, "hocvien");
  await trainee.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Điểm danh" }).click();
  const myQr = await trainee.getByTestId("my-qr").getAttribute("src");
  expect(decodeQr(myQr!)).toMatch(/^BDHV1\.\d+\./);
  await trainee.screenshot(shot("class-records-trainee-qr"));

  // The centre's phone, with the camera stubbed by that real QR image.
  const staffCtx = await browser.newContext({ viewport: PHONE, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
  const staff = await staffCtx.newPage();
  await stubCamera(staff, myQr!);
  await login(staff, "canbo.tanlap");
  await staff.goto("/lop");
  await staff.getByRole("link", { name: new RegExp(`^${CLASS}`) }).click();
  await staff.getByRole("navigation", { name: "Sổ lớp" }).getByRole("link", { name: "Lịch học" }).click();
  await expect(staff.getByRole("heading", { name: "Lịch học" })).toBeVisible();
  // Today is a class day: move the last session (buổi 10) to today, with the reason the deviation needs.
  await staff.getByLabel("Ngày buổi 10").fill(todayVn());
  await staff.getByLabel("Số tiết buổi 10").fill("4");
  await staff.getByRole("button", { name: "Lưu lịch học" }).click();
  await expect(staff.getByRole("alert")).toContainText("Lịch học khác chương trình: hãy ghi lý do điều chỉnh.");
  await staff.getByLabel(/Lý do điều chỉnh/).fill("Buổi tổng kết dời lịch, rút ngắn do trùng hội nghị của Đảng ủy");
  await staff.getByRole("button", { name: "Lưu lịch học" }).click();
  await expect(staff.getByText("Đã lưu lịch học.")).toBeVisible();
  await staff.screenshot(shot("class-records-timetable"));

  // Attendance board, today's session: mark her absent by hand, then scan her QR.
  await staff.getByRole("navigation", { name: "Sổ lớp" }).getByRole("link", { name: "Điểm danh" }).click();
  await expect(staff.getByLabel("Buổi học", { exact: true })).toContainText("Buổi 10");
  const mark = staff.getByLabel("Điểm danh Nguyễn Thị Mai");
  await mark.selectOption("vang_khong_phep");
  await expect(mark).toHaveValue("vang_khong_phep");
  await staff.waitForLoadState("networkidle");
  await staff.getByRole("button", { name: "Bật máy ảnh để quét mã" }).click();
  await expect(staff.getByTestId("scan-result")).toHaveText("Đã điểm danh: Nguyễn Thị Mai — có mặt.", { timeout: 20_000 });
  await expect(mark).toHaveValue("co_mat");
  await staff.screenshot(shot("class-records-scan"));
  await staff.getByRole("button", { name: "Tắt máy ảnh" }).click();

  // The projector's rotating class code; the trainee scans it with her own phone.
  const sessionId = new URL(staff.url()).searchParams.get("buoi") ?? (await staff.getByLabel("Buổi học", { exact: true }).inputValue());
  await mark.selectOption("vang_co_phep");
  await staff.waitForLoadState("networkidle");
  const projector = await staffCtx.newPage();
  await projector.setViewportSize({ width: 1280, height: 800 });
  await projector.goto(`${new URL(staff.url()).pathname}/chieu?buoi=${sessionId}`);
  const classQr = await projector.getByTestId("class-qr").getAttribute("src");
  await projector.screenshot(shot("class-records-projector"));
  const scanned = new URL(decodeQr(classQr!));
  expect(scanned.pathname).toBe("/diem-danh/quet");
  // A code whose signature does not match is refused with a clear message.
  await trainee.goto(
    `/diem-danh/quet?s=${scanned.searchParams.get("s")}&t=${Number(scanned.searchParams.get("t")) - 20}&h=${scanned.searchParams.get("h")}`,
  );
  await trainee.getByRole("button", { name: "Xác nhận có mặt" }).click();
  await expect(trainee.getByRole("alert")).toHaveText("Mã điểm danh không hợp lệ. Hãy quét lại mã đang chiếu trên màn hình.");
  await trainee.goto(scanned.pathname + scanned.search);
  await trainee.getByRole("button", { name: "Xác nhận có mặt" }).click();
  await expect(trainee.getByText("Đã điểm danh: có mặt.")).toBeVisible();
  await trainee.screenshot(shot("class-records-checkin"));
  await staff.reload();
  await expect(mark).toHaveValue("co_mat");

  // Results: attendance, conduct and the final essay.
  await staff.getByRole("navigation", { name: "Sổ lớp" }).getByRole("link", { name: "Kết quả" }).click();
  await staff.getByRole("button", { name: /Tính kết quả/ }).click();
  await expect(staff.getByText(/Đã tính kết quả của \d+ học viên\./)).toBeVisible();
  const results = staff.getByRole("table", { name: "Kết quả học tập" });
  await expect(results.getByRole("row", { name: /Nguyễn Thị Mai/ })).toContainText("Đạt yêu cầu");
  await expect(results.getByRole("row", { name: /Vũ Ngọc Ánh/ })).toContainText("Vắng quá 20% số tiết");
  await expect(results.getByRole("row", { name: /Đặng Minh Khôi/ })).toContainText("Không cấp chứng nhận");
  await staff.screenshot(shot("class-records-results"));

  // Certificates: reissue hers with a reason; the bulk PDF carries the new number.
  await staff.getByRole("navigation", { name: "Sổ lớp" }).getByRole("link", { name: "Giấy chứng nhận" }).click();
  const row = staff.getByRole("table", { name: "Sổ cấp giấy chứng nhận" }).getByRole("row", { name: /Nguyễn Thị Mai.*Có hiệu lực/ });
  const oldNumber = (await row.getByRole("link").innerText()).trim();
  const oldVerify = await row.getByRole("link").getAttribute("href");
  await row.getByLabel(/Lý do cấp lại/).fill("Sai ngày sinh trên giấy đã cấp");
  await row.getByRole("button", { name: "Cấp lại" }).click();
  const done = staff.getByRole("status");
  await expect(done).toContainText("Đã cấp lại: số mới");
  const newNumber = (await done.innerText()).match(/số mới (\S+)\./)![1]!;
  expect(newNumber).not.toBe(oldNumber);
  await staff.screenshot(shot("class-records-register"));
  const bulk = await staff.request.get((await staff.getByTestId("bulk-pdf").getAttribute("href"))!);
  expect(bulk.headers()["content-type"]).toBe("application/pdf");
  const bulkText = pdfText(await bulk.body(), "bulk");
  expect(bulkText).toContain("GIẤY CHỨNG NHẬN");
  expect(bulkText).toContain("Nguyễn Thị Mai");
  expect(bulkText).toContain(newNumber);
  expect(bulkText).not.toContain(oldNumber);

  // The results notice for her cell, in the Party layout.
  await staff.getByRole("navigation", { name: "Sổ lớp" }).getByRole("link", { name: "Thông báo, báo cáo" }).click();
  const notice = await staff.request.get(
    (await staff.getByRole("link", { name: "Thông báo cho Chi bộ Trường THPT Tân Lập (PDF)" }).getAttribute("href"))!,
  );
  const noticeText = pdfText(await notice.body(), "notice");
  for (const w of [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "THÔNG BÁO",
    "Kết quả học tập của học viên lớp bồi dưỡng nhận thức về Đảng",
    "Nguyễn Thị Mai",
    "Nơi nhận:",
  ])
    expect(noticeText).toContain(w);
  await staff.reload();
  await expect(staff.getByRole("row", { name: /Chi bộ Trường THPT Tân Lập/ })).toContainText(/\d{2}-TB\/TTCT/);
  await staff.screenshot(shot("class-records-documents"));

  // The trainee sees her certificate, but the class requires the course survey first
  // (issue 13, item 10): the page names it and links to it, and offers no download yet.
  // She sends it in surveys-dashboards.spec.ts, which then downloads the certificate.
  await trainee.goto("/");
  await trainee.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Giấy chứng nhận" }).click();
  await expect(trainee.getByText(`Số vào sổ cấp: ${newNumber}`)).toBeVisible();
  await expect(trainee.getByRole("status")).toContainText("Lớp học yêu cầu gửi phiếu khảo sát trước khi tải giấy chứng nhận");
  await expect(trainee.getByRole("link", { name: "“Khảo sát cuối khóa — lớp nhận thức về Đảng, khóa 1 năm 2026”" })).toHaveAttribute(
    "href",
    /^\/khao-sat\/\d+$/,
  );
  await expect(trainee.getByRole("link", { name: "Tải giấy chứng nhận (PDF)" })).toHaveCount(0);
  await trainee.screenshot(shot("class-records-my-certificates"));
  const verifyHref = (await trainee.getByRole("link", { name: "Trang xác minh" }).getAttribute("href"))!;

  // Anyone, without logging in, on a phone.
  const publicCtx = await browser.newContext({ viewport: PHONE, locale: "vi-VN" });
  const visitor = await publicCtx.newPage();
  await visitor.goto(verifyHref);
  const status = visitor.getByRole("status");
  await expect(status).toContainText("Có hiệu lực");
  await expect(status).toContainText("Nguyễn Thị Mai");
  await expect(status).toContainText(newNumber);
  await expect(status).not.toContainText("2006"); // no birth date or anything else about the person
  await visitor.screenshot(shot("class-records-verify"));
  await visitor.goto(oldVerify!);
  await expect(visitor.getByRole("status")).toContainText("Đã được thay bằng giấy cấp lại");
  await visitor.goto("/xac-minh/KHONGCOMA2345678");
  await expect(visitor.getByRole("alert")).toContainText("Không tìm thấy giấy chứng nhận");

  await Promise.all([traineeCtx.close(), staffCtx.close(), publicCtx.close()]);
});
