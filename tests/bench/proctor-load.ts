/**
 * `npm run bench:proctor -- --examinees N [--room-size 100] [--processes 2]`: the exam
 * load benchmark with sessions of `--room-size` trainees, each watched by its own
 * proctor, reporting how long a trainee's answer or integrity event takes to reach the
 * proctor (tests/bench/exam-load.ts does the work).
 */
const args = process.argv.slice(2);
if (!args.includes("--room-size")) args.push("--room-size", "100");
if (!args.includes("--proctors")) args.push("--proctors");
process.argv = [process.argv[0]!, process.argv[1]!, ...args];
await import("./exam-load");
export {};
