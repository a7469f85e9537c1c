import { randomBytes } from "node:crypto";

/**
 * The certificate register (sổ cấp, Hướng dẫn 154-HD/BTGTW): numbers run from 1 per
 * centre per year; their printed format is policy in server/rules/certificate-number.ts
 * (one formatter, re-exported here). Pure, except for the random verification code.
 */
export { formatCertificateNumber, isCertificateNumber } from "../rules/certificate-number";

const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // no 0/O, 1/I: read aloud or typed from paper

/** 16 characters of a 32-letter alphabet: 80 random bits, unguessable, printed in the QR and under it. */
export function newVerificationCode(): string {
  const bytes = randomBytes(16);
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

export function isVerificationCode(s: string): boolean {
  return /^[2-9A-HJ-NP-Z]{16}$/.test(s);
}

/** The year of the register an issue date belongs to. */
export function registerYear(issuedOn: string): number {
  return Number(issuedOn.slice(0, 4));
}
