/**
 * Time and peak memory of one bulk certificate PDF (a class of 100 by default).
 *   npx tsx tests/bench/certificates.ts [count] [out.pdf]
 * Prints JSON: count, ms, bytes, bytesPerPage, peakRssMB. Numbers for planning, not a test.
 */
import { writeFileSync } from "node:fs";
import { renderCertificatesPdf } from "../../server/documents/certificate";
import { sampleCertificate } from "../../server/documents/samples";

const count = Number(process.argv[2] ?? 100);
const out = process.argv[3];
const certs = Array.from({ length: count }, (_, i) => sampleCertificate(i));

// One warm-up page so the figure is the bulk run, not module loading and font parsing.
await renderCertificatesPdf([certs[0]]);

const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const pdf = await renderCertificatesPdf(certs);
const ms = Math.round(performance.now() - t0);
if (out) writeFileSync(out, pdf);

console.log(
  JSON.stringify({
    count,
    ms,
    bytes: pdf.byteLength,
    bytesPerPage: Math.round(pdf.byteLength / count),
    // maxRSS is the process's peak resident set, in KiB.
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    rssBeforeMB: Math.round(rssBefore / 1048576),
  }),
);
