import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { answerPayload, answerRefusal, HTTP_STATUS, httpStatus, MAX_INT } from "../../server/exams/protocol";
import { hashDeviceToken, newDeviceToken, tokenMatches } from "../../server/exams/device";
import { receiptCode } from "../../server/exams/scoring";

describe("exam protocol (decision 018)", () => {
  it("gives every error code the one HTTP status the protocol document states, and the document lists every code", () => {
    const doc = readFileSync(new URL("../../docs/realtime-protocol.md", import.meta.url), "utf8");
    const section = doc.slice(doc.indexOf("### Error codes"), doc.indexOf("### HTTP fallback"));
    const table = Object.fromEntries([...section.matchAll(/^\| `(\w+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
    expect(table).toEqual(HTTP_STATUS);
    expect(httpStatus("server_error")).toBe(503);
    expect(httpStatus("device_replaced")).toBe(409);
  });

  it("bounds seq at 2^31 − 1 in the schema, with a message that names the bound", () => {
    const base = { attemptId: 1, position: 1, chosen: [0] };
    expect(answerPayload.safeParse({ ...base, seq: MAX_INT }).success).toBe(true);
    const refused = answerPayload.safeParse({ ...base, seq: 2 ** 31 });
    expect(refused.success).toBe(false);
    expect(answerRefusal(refused.error!)).toBe("Số thứ tự câu trả lời (seq) phải là số nguyên từ 1 đến 2.147.483.647.");
    expect(answerPayload.safeParse({ ...base, seq: 1, attemptId: 2 ** 31 }).success).toBe(false);
    expect(answerPayload.safeParse({ ...base, seq: 1, position: 5000 }).success).toBe(false);
  });

  it("stores only a hash of the device token and compares it in constant time", () => {
    const token = newDeviceToken();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(newDeviceToken()).not.toBe(token);
    const hash = hashDeviceToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(newDeviceToken(), hash)).toBe(false);
    expect(tokenMatches(undefined, hash)).toBe(false);
    expect(tokenMatches(token, null)).toBe(false);
    expect(tokenMatches(token, "abc")).toBe(false);
  });

  it("keys receipts: without the key the code cannot be computed from the answers; the unkeyed form is unchanged", () => {
    const answers = [
      { position: 1, chosen: [2] },
      { position: 2, chosen: [0, 3] },
    ];
    const key = Buffer.alloc(32, 7);
    const keyed = receiptCode(7, answers, key);
    expect(keyed).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(keyed).toBe(receiptCode(7, [...answers].reverse(), key));
    expect(keyed).not.toBe(receiptCode(7, answers));
    expect(keyed).not.toBe(receiptCode(7, answers, Buffer.alloc(32, 8)));
  });
});
