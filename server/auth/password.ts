import { randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// Algorithm.Argon2id; the package exports a const enum that isolatedModules cannot read.
const ARGON2ID = 2;

export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize("NFC"), { algorithm: ARGON2ID });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize("NFC"));
  } catch {
    return false;
  }
}

// A hash of a random string, verified against when the username is unknown so
// that a wrong username and a wrong password take the same time.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${randomInt(1e9)}`);
  return dummyHash;
}

// No 0/o, 1/l/i: initial passwords are read off paper by older trainees on phones.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

export function generatePassword(length = 8): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Vietnamese reason the new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 8) return "Mật khẩu phải có ít nhất 8 ký tự.";
  if (password.length > 128) return "Mật khẩu quá dài (tối đa 128 ký tự).";
  if (password.toLowerCase() === username.toLowerCase()) return "Mật khẩu không được trùng với tên đăng nhập.";
  if (/^(.)\1+$/.test(password) || /^(0123456789|12345678|123456789|abcdefgh)/.test(password))
    return "Mật khẩu quá dễ đoán; hãy chọn mật khẩu khác.";
  return null;
}
