/**
 * A small HTTP load generator, run as a separate process so that its CPU does not
 * count as the server's. Reads { url, cookie, total, concurrency, headers } from argv
 * (JSON) and prints { latencies: number[] (ms), errors, elapsedSec } as JSON.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

const {
  url,
  cookie,
  total,
  concurrency,
  headers = {},
} = JSON.parse(process.argv[2]!) as {
  url: string;
  cookie: string;
  total: number;
  concurrency: number;
  headers?: Record<string, string>;
};
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies: number[] = [];
let errors = 0;
let started = 0;

function once(): Promise<void> {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = http.get(url, { agent, headers: { cookie, ...headers } }, (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode === 200) latencies.push(performance.now() - t);
        else errors++;
        resolve();
      });
    });
    req.on("error", () => {
      errors++;
      resolve();
    });
  });
}

const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (started < total) {
      started++;
      await once();
    }
  }),
);
console.log(JSON.stringify({ latencies, errors, elapsedSec: (performance.now() - t0) / 1000 }));
agent.destroy();
