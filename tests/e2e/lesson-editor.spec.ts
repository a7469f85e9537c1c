import { expect, test, type Page } from "@playwright/test";
import { login, shot } from "./helpers";

/**
 * Decision 025: a lecturer edits a lesson without writing YAML or MDX — the
 * frontmatter as a form, buttons for headings and lesson components, the live
 * preview — and the source view stays for experts; both views edit one text.
 */

const cases = [
  { name: "desktop", viewport: { width: 1280, height: 900 }, lesson: /^Bài 2\./ },
  { name: "360 px", viewport: { width: 360, height: 740 }, lesson: /^Bài 4\./ },
];

/** CSP refusals and script errors seen by the page. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

for (const c of cases) {
  test(`lecturer edits a lesson with the form and the buttons (${c.name})`, async ({ page }) => {
    const problems = watch(page);
    await page.setViewportSize(c.viewport);
    await login(page, "giangvien");
    await page.goto("/bai-giang");
    await page.getByRole("link", { name: c.lesson }).first().click();
    await expect(page.getByRole("tab", { name: "Soạn thảo" })).toHaveAttribute("aria-selected", "true");
    await expect(page.getByRole("status").filter({ hasText: "Chưa có bản nháp" })).toBeVisible();

    const title = `Tên bài sửa bằng biểu mẫu (${c.name})`;
    await page.getByLabel("Tên bài", { exact: true }).fill(title);

    // A heading on a new line at the end of the body, then a component from its form.
    const body = page.getByLabel("Nội dung bài giảng");
    await body.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Tiêu đề mục" }).click();
    await page.keyboard.type("Mục mới thêm bằng nút");
    await page.getByRole("button", { name: "Khung lưu ý" }).click();
    await page.getByLabel("Loại khung").selectOption("remember");
    await page.getByLabel("Tiêu đề khung (không bắt buộc)").fill('Điều cần nhớ "mới"');
    await page.getByRole("group", { name: "Định dạng" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screenshots/lesson-editor-panel-${c.name === "desktop" ? "desktop" : "360"}.png` });
    await page.getByRole("button", { name: "Chèn", exact: true }).click();
    await page.keyboard.type("Nội dung khung lưu ý mới.");

    const preview = page.getByLabel("Xem trước bài giảng");
    await expect(preview.getByRole("heading", { name: "Mục mới thêm bằng nút" })).toBeVisible();
    await expect(preview).toContainText("Nội dung khung lưu ý mới.");
    await expect(preview).toContainText('Điều cần nhớ "mới"');
    await page.screenshot(shot(`lesson-editor-${c.name === "desktop" ? "desktop" : "360"}`));

    // The source view shows the same text, and going back keeps it.
    await page.getByRole("tab", { name: /Mã nguồn/ }).click();
    const source = page.getByLabel("Nội dung MDX");
    await expect(source).toHaveValue(new RegExp(`\\ntitle: ${title.replace(/[()]/g, "\\$&")}\\n`));
    await expect(source).toHaveValue(
      /\n## Mục mới thêm bằng nút\n\n<Callout kind="remember" title="Điều cần nhớ &quot;mới&quot;">\n\nNội dung khung lưu ý mới.\n\n<\/Callout>\n/,
    );
    await page.getByRole("tab", { name: "Soạn thảo" }).click();
    await expect(page.getByLabel("Tên bài", { exact: true })).toHaveValue(title);

    await page.getByRole("button", { name: "Lưu nháp" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Bản nháp đã lưu lúc" })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Tên bài", { exact: true })).toHaveValue(title);
    await expect(page.getByLabel("Nội dung bài giảng")).toHaveValue(/## Mục mới thêm bằng nút/);

    // Hostile input typed by an expert is refused with its line, and nothing is submitted.
    await page.getByRole("tab", { name: /Mã nguồn/ }).click();
    const saved = await source.inputValue();
    const hostile = `${saved}\n<script>alert(1)</script>\n`;
    const line = hostile.split("\n").indexOf("<script>alert(1)</script>") + 1;
    await source.fill(hostile);
    const refusals = page.getByRole("alert", { name: "Lỗi trong bài giảng" });
    await expect(refusals).toContainText(`Dòng ${line}: Thẻ <script> không được dùng`);
    await page.getByRole("button", { name: "Gửi duyệt" }).click();
    await expect(page.getByText("Chưa gửi duyệt được: bài giảng còn lỗi.")).toBeVisible();
    await expect(refusals.first()).toContainText(`Dòng ${line}:`);
    await expect(page.getByRole("table").getByText("Chờ duyệt")).toHaveCount(0);

    // Fixed and submitted, the editor confirms the submission instead of "no draft", also after a reload.
    await source.fill(saved);
    await expect(preview.getByRole("heading", { name: "Mục mới thêm bằng nút" })).toBeVisible();
    await page.getByRole("button", { name: "Gửi duyệt" }).click();
    await expect(page.getByText("Đã gửi bản này để Ban Tuyên giáo duyệt.")).toBeVisible();
    await page.reload();
    await expect(page.getByRole("status").filter({ hasText: "Đã gửi duyệt lúc" })).toBeVisible();
    await expect(page.getByText("Chưa có bản nháp")).toHaveCount(0);
    await expect(source).toHaveValue(saved);
    expect(problems).toEqual([]);
  });
}
