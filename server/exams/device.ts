import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The device token of an attempt (decision 018): 32 random bytes handed to the one
 * device the attempt accepted, required with every answer and submission. Only its
 * SHA-256 is stored, so a database dump cannot answer for anyone; the answer statement
 * compares hashes, which leaks nothing useful about the token through timing.
 */
export function newDeviceToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time check of a presented token against the stored hash. */
export function tokenMatches(token: string | null | undefined, storedHash: string | null | undefined): boolean {
  if (!token || !storedHash) return false;
  const a = Buffer.from(hashDeviceToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
