import { createHash } from "node:crypto";
import type { Database } from "../db";
import type { Clock } from "../clock";
import { Forbidden, NotFound } from "../errors";
import { hasRole, type Viewer } from "../auth/scope";
import { reviewAccess } from "../exams/review";
import { htmlToText, MEDIA_PLACEHOLDER, PLUGINFILE, sanitiseHtml } from "./formats/html";
import { imageMime, MAX_IMAGE_BYTES } from "./formats/moodle-xml";

/**
 * Images of question stems (issue 14, item 3; docs/question-formats.md, "Images").
 *
 * Stored content-addressed in question_media; a version's stem references them as
 * `<img src="@@PLUGINFILE@@/name">` and question_version_media maps each name to a hash.
 * Rendering rewrites the reference to an address scoped like the paper:
 *   /api/thi/<attemptId>/anh/<hash>  for the trainee who owns the attempt,
 *   /ngan-hang/<bankId>/anh/<hash>   for the bank's readers.
 * The hash says nothing about the question or its key; the file name never leaves the server.
 */

export const HASH_RE = /^[0-9a-f]{64}$/;
const GENERIC_ALT = "Hình minh hoạ của câu hỏi";

export type MediaMap = Map<string, string>;

export function mediaHash(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The stem of a version as HTML to put in a page, or null for a plain-text stem.
 * The stored HTML is sanitised again (defence in depth) and every image reference is
 * resolved to `prefix + hash`; an image with no stored file is dropped. An alt text that
 * is empty or a file name becomes a neutral description, so a name cannot hint at the key.
 */
export function renderStemHtml(stem: string, format: "plain" | "html", media: MediaMap, prefix: string): string | null {
  if (format !== "html") return null;
  return sanitiseHtml(stem, {
    image(src, alt) {
      if (!src.startsWith(PLUGINFILE)) return null;
      const name = safeDecode(src.slice(PLUGINFILE.length));
      const hash = media.get(name) ?? media.get(name.split("/").pop() ?? "");
      if (!hash) return null;
      const a = alt.trim();
      return { src: `${prefix}${hash}`, alt: !a || /\.(png|jpe?g|gif|webp|bmp|svg|emf|wmf)$/i.test(a) || a === name ? GENERIC_ALT : a };
    },
  }).html;
}

/** Plain text of a stem (for lists, titles and screen-reader fallbacks). */
export function stemText(stem: string, format: "plain" | "html"): string {
  return format === "html" ? htmlToText(stem) : stem;
}

/** Replace the placeholder prefix of a cached rendering with the address of one scope. */
export function scopeStemHtml(html: string, prefix: string): string {
  return html.split(`src="${MEDIA_PLACEHOLDER}`).join(`src="${prefix}`);
}

export const attemptMediaPrefix = (attemptId: number) => `/api/thi/${attemptId}/anh/`;
export const bankMediaPrefix = (bankId: number) => `/ngan-hang/${bankId}/anh/`;

/** name → hash of each version's images. */
export async function mediaOfVersions(db: Database, versionIds: number[]): Promise<Map<number, MediaMap>> {
  const out = new Map<number, MediaMap>();
  if (!versionIds.length) return out;
  const rows = await db
    .selectFrom("question_version_media")
    .select(["version_id", "name", "hash"])
    .where("version_id", "in", [...new Set(versionIds)])
    .execute();
  for (const r of rows) {
    let m = out.get(r.version_id);
    if (!m) out.set(r.version_id, (m = new Map()));
    m.set(r.name, r.hash);
  }
  return out;
}

/**
 * Stores the images of new versions and links them. Checked again here whatever the
 * parser said: raster types by their first bytes only, at most MAX_IMAGE_BYTES each.
 * Returns how many images were refused.
 */
export async function attachImages(
  trx: Database,
  links: { versionId: number; images: { name: string; data: Uint8Array }[] }[],
): Promise<number> {
  const media = new Map<string, { mime: string; data: Uint8Array }>();
  const rows: { version_id: number; name: string; hash: string }[] = [];
  let refused = 0;
  for (const l of links) {
    const names = new Set<string>();
    for (const img of l.images) {
      const mime = imageMime(img.name, img.data);
      if (!mime || img.data.length > MAX_IMAGE_BYTES || !img.name || names.has(img.name)) {
        refused++;
        continue;
      }
      names.add(img.name);
      const hash = mediaHash(img.data);
      media.set(hash, { mime, data: img.data });
      rows.push({ version_id: l.versionId, name: img.name, hash });
    }
  }
  for (const [hash, m] of media) {
    await trx
      .insertInto("question_media")
      .values({ hash, mime: m.mime as "image/png", size: m.data.length, data: m.data })
      .onConflict((oc) => oc.column("hash").doNothing())
      .execute();
  }
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto("question_version_media")
      .values(rows.slice(i, i + 500))
      .execute();
  return refused;
}

/** Gives a new version the images of the version it was edited from. */
export async function copyImages(trx: Database, fromVersionId: number, toVersionId: number): Promise<void> {
  const rows = await trx.selectFrom("question_version_media").select(["name", "hash"]).where("version_id", "=", fromVersionId).execute();
  if (rows.length)
    await trx
      .insertInto("question_version_media")
      .values(rows.map((r) => ({ version_id: toVersionId, name: r.name, hash: r.hash })))
      .execute();
}

export interface MediaFile {
  mime: string;
  data: Uint8Array;
}

const NOT_FOUND = "Không tìm thấy hình này.";

export function createMediaService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;
  return {
    /**
     * An image of a question on the viewer's own paper: while the attempt runs, or once
     * handed in when the exam's review policy shows the questions (server/exams/review.ts).
     * Anything else (another trainee's attempt, an image of another paper, a review not yet
     * allowed) is the same not-found, so nothing tells which images exist.
     */
    async forAttempt(viewer: Viewer, attemptId: number, hash: string): Promise<MediaFile> {
      if (!HASH_RE.test(hash) || viewer.personId === null) throw new NotFound(NOT_FOUND);
      const a = await db
        .selectFrom("attempt")
        .select(["id", "person_id", "status", "exam_id", "score"])
        .where("id", "=", attemptId)
        .executeTakeFirst();
      if (!a || a.person_id !== viewer.personId) throw new NotFound(NOT_FOUND);
      if (a.status !== "in_progress") {
        if (a.status !== "submitted" && a.status !== "awaiting_grading") throw new NotFound(NOT_FOUND);
        const exam = await db
          .selectFrom("exam")
          .select(["review_policy", "closes_at"])
          .where("id", "=", a.exam_id)
          .executeTakeFirstOrThrow();
        const access = reviewAccess(exam.review_policy, {
          final: a.status === "submitted" && a.score !== null,
          closed: clock.now() > new Date(exam.closes_at),
        });
        if (!access.answers) throw new NotFound(NOT_FOUND);
      }
      const file = await db
        .selectFrom("attempt_item as i")
        .innerJoin("question_version_media as vm", "vm.version_id", "i.question_version_id")
        .innerJoin("question_media as m", "m.hash", "vm.hash")
        .select(["m.mime", "m.data"])
        .where("i.attempt_id", "=", attemptId)
        .where("vm.hash", "=", hash)
        .limit(1)
        .executeTakeFirst();
      if (!file) throw new NotFound(NOT_FOUND);
      return file;
    },

    /** An image of a question of the bank, for the bank's readers (lecturers and the committee, as the bank pages). */
    async forBank(viewer: Viewer, bankId: number, hash: string): Promise<MediaFile> {
      if (!hasRole(viewer, ["lecturer", "committee"]))
        throw new Forbidden("Chỉ giảng viên và Ban Tuyên giáo làm việc với ngân hàng câu hỏi.");
      if (!HASH_RE.test(hash)) throw new NotFound(NOT_FOUND);
      const file = await db
        .selectFrom("question as q")
        .innerJoin("question_version as v", "v.question_id", "q.id")
        .innerJoin("question_version_media as vm", "vm.version_id", "v.id")
        .innerJoin("question_media as m", "m.hash", "vm.hash")
        .select(["m.mime", "m.data"])
        .where("q.bank_id", "=", bankId)
        .where("vm.hash", "=", hash)
        .limit(1)
        .executeTakeFirst();
      if (!file) throw new NotFound(NOT_FOUND);
      return file;
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
