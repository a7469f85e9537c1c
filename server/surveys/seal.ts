import { createCipheriv, createDecipheriv, randomBytes, randomInt } from "node:crypto";
import type { SurveyQuestion } from "../db/schema-surveys";
import type { CleanAnswer } from "./rules";

/**
 * Sealing of an anonymous response while it waits in `survey_pending` (decision 017).
 *
 * The pending row is written in the participation's transaction (so a crash can neither
 * lose an acknowledged answer nor let the trainee answer twice), which means the row is
 * linkable to the participation by `xmin`, physical order and WAL position. It therefore
 * carries nothing readable: the answers are encrypted with AES-256-GCM under a key the
 * database never holds, bound to the survey id (a blob cannot be replayed into another
 * survey), and padded to one fixed size per survey (the length of a comment cannot be
 * matched against the released text later).
 *
 * Plain format, in the survey's question order: per question one tag byte (0 none,
 * 1 value, 2 text), then an int16 value or a uint16 byte length and the UTF-8 text.
 */

const VERSION = 1;
const IV = 12;
const TAG = 16;
/** validateAnswers caps a comment at 2,000 UTF-16 units: at most 3 UTF-8 bytes each. */
const MAX_TEXT_BYTES = 2000 * 3;

/** The plain size every response of this survey is padded to. */
export function plainSize(questions: SurveyQuestion[]): number {
  return questions.reduce((n, q) => n + 1 + 2 + (q.type === "text" ? MAX_TEXT_BYTES : 0), 0);
}

/** The stored size of every sealed response of this survey. */
export function sealedSize(questions: SurveyQuestion[]): number {
  return 1 + IV + TAG + plainSize(questions);
}

export function encodeAnswers(questions: SurveyQuestion[], answers: CleanAnswer[]): Buffer {
  const out = Buffer.alloc(plainSize(questions)); // zero padding to the fixed size
  const byKey = new Map(answers.map((a) => [a.key, a]));
  let at = 0;
  for (const q of questions) {
    const a = byKey.get(q.key);
    if (a && a.text !== null) {
      const bytes = Buffer.from(a.text, "utf8");
      if (bytes.length > MAX_TEXT_BYTES) throw new Error(`answer ${q.key} exceeds the sealed size`);
      out[at] = 2;
      out.writeUInt16BE(bytes.length, at + 1);
      bytes.copy(out, at + 3);
    } else if (a && a.value !== null) {
      out[at] = 1;
      out.writeInt16BE(a.value, at + 1);
    }
    at += 1 + 2 + (q.type === "text" ? MAX_TEXT_BYTES : 0);
  }
  return out;
}

export function decodeAnswers(questions: SurveyQuestion[], plain: Buffer): CleanAnswer[] {
  if (plain.length !== plainSize(questions)) throw new Error("sealed response does not match the survey's questions");
  const answers: CleanAnswer[] = [];
  let at = 0;
  for (const q of questions) {
    const tag = plain[at];
    if (tag === 1) answers.push({ key: q.key, section: q.section, value: plain.readInt16BE(at + 1), text: null });
    else if (tag === 2) {
      const len = plain.readUInt16BE(at + 1);
      answers.push({ key: q.key, section: q.section, value: null, text: plain.subarray(at + 3, at + 3 + len).toString("utf8") });
    }
    at += 1 + 2 + (q.type === "text" ? MAX_TEXT_BYTES : 0);
  }
  return answers;
}

const aad = (surveyId: number) => Buffer.from(`survey:${surveyId}`, "utf8");

/** Seals with the first key; the survey id is authenticated, not stored. */
export function seal(keys: Buffer[], surveyId: number, questions: SurveyQuestion[], answers: CleanAnswer[]): Buffer {
  const key = keys[0];
  if (!key) throw new Error("no survey seal key");
  const iv = randomBytes(IV);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(aad(surveyId));
  const body = Buffer.concat([c.update(encodeAnswers(questions, answers)), c.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), body]);
}

/** Opens with whichever configured key sealed it; throws when none does (nothing is released then). */
export function unseal(keys: Buffer[], surveyId: number, questions: SurveyQuestion[], blob: Uint8Array): CleanAnswer[] {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (b[0] !== VERSION || b.length < 1 + IV + TAG) throw new Error("unknown sealed response format");
  const iv = b.subarray(1, 1 + IV);
  const tag = b.subarray(1 + IV, 1 + IV + TAG);
  const body = b.subarray(1 + IV + TAG);
  for (const key of keys) {
    try {
      const d = createDecipheriv("aes-256-gcm", key, iv);
      d.setAAD(aad(surveyId));
      d.setAuthTag(tag);
      return decodeAnswers(questions, Buffer.concat([d.update(body), d.final()]));
    } catch {
      // try the next (older) key
    }
  }
  throw new Error("a pending survey response cannot be opened with the configured SURVEY_SEAL_KEY");
}

/** Fisher–Yates with a cryptographic source: the released order must not be predictable. */
export function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
