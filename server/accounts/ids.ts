import { randomBytes } from "node:crypto";

/** A random text id (accounts, import batches): 20 characters of base64url. */
export function newId(): string {
  return randomBytes(15).toString("base64url");
}
