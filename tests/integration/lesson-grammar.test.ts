import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../server/clock";
import { seedDemo } from "../../server/seed/demo";
import { contentHash } from "../../server/curricula/compile";
import { parseLessonSource } from "../../server/curricula/source";
import type { Viewer } from "../../server/auth/scope";
import type { Services } from "../../server/services";
import { HOSTILE_LESSONS } from "../fixtures/lessons/hostile";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { MdxPreview } from "../../app/components/lesson/mdx-preview";
import { loginAs, testDatabase, testServices, TEST_DB, type TestDatabase } from "./harness";

/**
 * Issue 13, item 1: a lesson's source never runs as code. Every hostile body goes
 * through the real service paths — save draft, live preview, submit, the committee
 * opening it for review, approval, and a trainee opening it — and each is refused
 * with its line; the payloads that would write a marker file never do.
 */
describe(`lesson sources are content, not code (${TEST_DB})`, () => {
  let t: TestDatabase;
  let s: Services;
  const clock = manualClock("2026-03-09T08:00:00+07:00");
  let lessonId: number;
  let frontmatter: string;
  let offset: number;
  let lecturer: Viewer;
  let committee: Viewer;
  let trainee: Viewer;
  const markerDir = fs.mkdtempSync(path.join(os.tmpdir(), "lesson-marker-"));

  beforeAll(async () => {
    t = await testDatabase();
    s = await testServices(t, clock);
    await s.curricula.syncFromFiles();
    await seedDemo(t.db);
    lessonId = (
      await t.db.selectFrom("lesson").select("id").where("programme_code", "=", "hd61").where("position", "=", 2).executeTakeFirstOrThrow()
    ).id;
    lecturer = (await loginAs(s, "giangvien")).viewer;
    committee = (await loginAs(s, "bantuyengiao")).viewer;
    trainee = (await loginAs(s, "hocvien")).viewer;
    const published = (await s.curricula.editorState(lecturer, lessonId)).source;
    const parsed = parseLessonSource(published, "x");
    frontmatter = published.slice(0, published.length - parsed.body.length);
    offset = parsed.bodyLineOffset;
  });
  afterAll(() => t.destroy());

  it.each(HOSTILE_LESSONS.map((h, i) => [h.name, h, i] as const))(
    "%s: refused with its line on every path, and nothing runs",
    async (_name, h, i) => {
      const marker = path.join(markerDir, `marker-${i}`);
      const source = frontmatter + h.body.replaceAll("MARKER", marker);
      const line = offset + h.line;
      const located = { line, message: expect.stringMatching(h.message) };

      // The lecturer saves (the draft is kept), the editor previews it live, the
      // lecturer submits it; then a version that reached review anyway (stored before
      // this check existed, or through the database) is opened by the committee and approved.
      const saved = await s.curricula.saveDraft(lecturer, lessonId, source);
      const preview = await s.curricula.preview(lessonId, source);
      const submitted = await s.curricula.submit(lecturer, saved.versionId);
      await t.db.updateTable("lesson_version").set({ status: "submitted" }).where("id", "=", saved.versionId).execute();
      const review = await s.curricula.previewVersion(committee, saved.versionId);
      const approval = await s.curricula.review(committee, saved.versionId, { approve: true });

      // Whatever came back is drawn the way the editor and the review page draw it, so
      // a payload that survived compilation would run here and leave the marker.
      for (const code of [preview.code, review.code]) {
        if (code === undefined) continue;
        try {
          renderToString(createElement(MdxPreview, { code }));
        } catch {
          // a render error is not the point; the marker is
        }
      }
      expect(fs.existsSync(marker)).toBe(false);

      // Each path refuses with the located problem, and returns nothing to render.
      expect((saved as { problems?: unknown[] }).problems?.[0]).toMatchObject(located);
      expect(preview.code).toBeUndefined();
      expect(preview.problems[0]).toMatchObject(located);
      expect(submitted.ok).toBe(false);
      expect(!submitted.ok && submitted.problems[0]).toMatchObject(located);
      expect(review.code).toBeUndefined();
      expect(review.problems[0]).toMatchObject(located);
      expect(approval.ok).toBe(false);
      expect(approval.problems[0]).toMatchObject(located);
      // Leave the lecturer one open draft for the next case.
      await t.db.updateTable("lesson_version").set({ status: "returned" }).where("id", "=", saved.versionId).execute();
    },
  );

  it("a stored compiled entry is not used for a text that fails the check, and a hostile published version is not served", async () => {
    const marker = path.join(markerDir, "cached-marker");
    const hostile = HOSTILE_LESSONS[0]!;
    const source = frontmatter + hostile.body.replaceAll("MARKER", marker);
    const body = parseLessonSource(source, "x").body;
    // A row under the current compiler version for this very text, as if an older
    // build (or anyone with database access) had stored output for it.
    await t.db
      .insertInto("compiled_mdx")
      .values({ hash: contentHash(body), code: JSON.stringify(["đã lưu sẵn"]) })
      .execute();
    const preview = await s.curricula.preview(lessonId, source);
    expect(preview.code).toBeUndefined();
    expect(preview.problems[0]).toMatchObject({ line: offset + hostile.line });

    // The same text as the published version (data from before this check): the trainee gets an error, not the lesson.
    const saved = await s.curricula.saveDraft(lecturer, lessonId, source);
    const previous = await t.db.selectFrom("lesson").select("published_version_id").where("id", "=", lessonId).executeTakeFirstOrThrow();
    await t.db.updateTable("lesson").set({ published_version_id: saved.versionId }).where("id", "=", lessonId).execute();
    await expect(s.curricula.lessonPage(trainee, "hd61", "cuong-linh")).rejects.toThrow(/does not pass the lesson grammar/);
    await t.db.updateTable("lesson").set({ published_version_id: previous.published_version_id }).where("id", "=", lessonId).execute();
    expect((await s.curricula.lessonPage(trainee, "hd61", "cuong-linh")).code).toMatch(/^\[/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("a server start refuses a hostile lesson file instead of loading it", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "curricula-hostile-"));
    fs.cpSync("content/curricula", root, { recursive: true });
    const file = path.join(root, "hd61/02-cuong-linh.mdx");
    fs.appendFileSync(file, '\n<iframe src="https://evil.example/" />\n');
    const lines =
      fs
        .readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.startsWith("<iframe")) + 1;
    await expect(s.curricula.syncFromFiles(root)).rejects.toThrow(new RegExp(`02-cuong-linh\\.mdx:${lines} Thẻ <iframe> không được dùng`));
  });
});
