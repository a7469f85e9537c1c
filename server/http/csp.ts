import { randomBytes } from "node:crypto";

/**
 * The Content-Security-Policy of every HTML page (decision 016). Scripts run only
 * from this site's files and from inline scripts carrying the request's nonce (the
 * framework's hydration data and scroll restoration); nothing may be eval'ed —
 * lessons compile to data, not code — nor embedded, nor framed by another site.
 */
export function newNonce(): string {
  return randomBytes(18).toString("base64");
}

export function contentSecurityPolicy(opts: { nonce: string; host?: string; dev: boolean }): string {
  // Socket.IO connects to this same origin; 'self' covers ws(s) there in CSP 3
  // browsers, the explicit ws/wss entries cover older ones. Only a plain host[:port]
  // is copied into the header, so a forged Host cannot add a directive.
  const host = opts.host && /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(opts.host) ? opts.host : null;
  const sockets = host ? ` ws://${host} wss://${host}` : "";
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${opts.nonce}'`,
    // Production: stylesheets are files; React's style={…} props render as style
    // attributes, which style-src-attr allows without allowing <style> elements.
    // Development: Vite injects CSS as <style> elements, so inline styles are allowed there only.
    opts.dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    // data: for the QR codes drawn on the server, blob: for files built in the browser.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // Development: Vite's HMR socket listens on its own port (24678).
    `connect-src 'self'${sockets}${opts.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}
