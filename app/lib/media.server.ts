import type { MediaFile } from "../../server/questions/media";

/**
 * The HTTP answer of a stored question image. Private: the image is scoped to a paper or
 * a bank, so no shared cache may keep it; nosniff and a closed CSP so a browser never
 * treats the bytes as anything but the image type we checked on import.
 */
export function imageResponse(file: MediaFile): Response {
  return new Response(Buffer.from(file.data), {
    headers: {
      "Content-Type": file.mime,
      "Content-Length": String(file.data.length),
      "Content-Disposition": "inline",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      // Content-addressed, so it never changes; private and revalidated after an hour,
      // so a trainee's access ending is respected by the next fetch.
      "Cache-Control": "private, max-age=3600",
      "Cross-Origin-Resource-Policy": "same-origin",
    },
  });
}
