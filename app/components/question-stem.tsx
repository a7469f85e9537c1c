/**
 * A question's stem. `html` is only ever the server's sanitised rendering
 * (server/questions/media.ts renderStemHtml: sanitize-html allow-list, images on our own
 * scoped addresses); anything else is shown as text, so markup a user typed stays text.
 */
export function StemContent({ stem, html }: { stem: string; html?: string | null }) {
  if (!html) return <>{stem}</>;
  return <span className="stem-html" dangerouslySetInnerHTML={{ __html: html }} />;
}
