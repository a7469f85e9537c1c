/**
 * Which URLs a lesson may point at (decision 016). Pure and dependency-free: the
 * grammar check uses it on the source, and the lesson renderer in the browser uses it
 * again on every href and src it is about to put on the page.
 *
 * Links: http(s), mailto or relative. Images: relative only — the page's CSP loads
 * images from this site alone, and a remote image would tell another site who reads
 * the lesson and when. The parser has already decoded entities (`&#106;avascript:`);
 * browsers also drop ASCII whitespace and control characters inside a scheme
 * (`java\tscript:`), so those are removed before looking for one, the scheme is
 * compared in lowercase, and any colon before the first / ? # counts as a scheme.
 */
export function urlRefusal(url: string, use: "link" | "image"): string | null {
  // eslint-disable-next-line no-control-regex -- browsers ignore control characters in a URL, so the check must too
  const squeezed = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  const scheme = /^([^/?#]*):/.exec(squeezed)?.[1];
  if (use === "image") {
    if (scheme === undefined && !squeezed.startsWith("//") && !squeezed.startsWith("/\\") && !squeezed.startsWith("\\")) return null;
    return `Ảnh “${short(url)}” phải nằm trên máy chủ của hệ thống: dùng đường dẫn tương đối (ví dụ /anh/so-do.png). Ảnh từ trang khác và dạng data: không được dùng.`;
  }
  if (scheme === undefined || scheme === "http" || scheme === "https" || scheme === "mailto") return null;
  return `Liên kết “${short(url)}” không được phép: chỉ dùng địa chỉ http://, https://, mailto: hoặc đường dẫn tương đối.`;
}

const short = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
