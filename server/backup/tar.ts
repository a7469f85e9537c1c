/**
 * The smallest tar (POSIX ustar) the backup file needs: regular files with short names,
 * written and read whole in memory. A tar and not a made-up format, so an operator can
 * look inside with `tar tvf` and take a key out by hand if the program is gone.
 */

const BLOCK = 512;

export interface TarEntry {
  name: string;
  data: Uint8Array;
  /** Unix permission bits (default 0o600: everything in a backup is secret). */
  mode?: number;
}

export class TarError extends Error {}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(entry: TarEntry, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (text: string, at: number) => h.set(new TextEncoder().encode(text), at);
  put(entry.name, 0);
  put(octal(entry.mode ?? 0o600, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(entry.data.length, 12), 124);
  put(octal(mtime, 12), 136);
  put("        ", 148); // checksum counted as spaces
  put("0", 156);
  put("ustar\0", 257);
  put("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  put(octal(sum, 7) + " ", 148);
  return h;
}

export function writeTar(entries: TarEntry[], mtime = Math.floor(Date.now() / 1000)): Uint8Array {
  let size = 2 * BLOCK;
  for (const e of entries) {
    if (!/^[\w.-]{1,99}$/.test(e.name)) throw new TarError(`tar entry name not supported: ${e.name}`);
    size += BLOCK + Math.ceil(e.data.length / BLOCK) * BLOCK;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const e of entries) {
    out.set(header(e, mtime), at);
    at += BLOCK;
    out.set(e.data, at);
    at += Math.ceil(e.data.length / BLOCK) * BLOCK;
  }
  return out; // the two closing zero blocks are already zero
}

/** Reads every regular file; throws TarError on a bad checksum, a cut-off file or a foreign entry. */
export function readTar(bytes: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (from: number, len: number) => new TextDecoder().decode(bytes.subarray(from, from + len)).replace(/\0.*$/s, "");
  let at = 0;
  for (;;) {
    if (at + BLOCK > bytes.length) throw new TarError("tệp bị cắt cụt");
    const h = bytes.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) return files;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    // Exactly as written ("%06o\0 "): a changed byte anywhere in a header is refused.
    const field = new TextDecoder().decode(h.subarray(148, 156));
    if (!/^[0-7]{6}\0 $/.test(field) || parseInt(field.slice(0, 6), 8) !== sum) throw new TarError(`sai mã kiểm tra ở byte ${at}`);
    if (text(at + 257, 6) !== "ustar") throw new TarError(`không phải định dạng tar ở byte ${at}`);
    const type = text(at + 156, 1) || "0";
    const size = parseInt(text(at + 124, 12).trim() || "0", 8);
    const name = text(at, 100);
    if (type !== "0" || !Number.isSafeInteger(size)) throw new TarError(`mục lạ ${name}`);
    const start = at + BLOCK;
    if (start + size > bytes.length) throw new TarError(`${name} bị cắt cụt`);
    if (files.has(name)) throw new TarError(`${name} xuất hiện hai lần`);
    files.set(name, bytes.subarray(start, start + size));
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    if (at > bytes.length || bytes.subarray(start + size, at).some((b) => b !== 0)) throw new TarError(`${name}: phần đệm bị hỏng`);
  }
}
