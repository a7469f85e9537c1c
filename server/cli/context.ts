import type { Services } from "../services";

export class CliError extends Error {
  /** `reported`: the command already printed its own (JSON) report; only the exit code and stderr line remain. */
  constructor(message: string, readonly code = 1, readonly reported = false) {
    super(message);
  }
}

export interface CliContext {
  args: string[];
  json: boolean;
  out(text: string, data?: unknown): void;
  services(): Promise<Services>;
}

export type Command = { summary: string; run(ctx: CliContext): Promise<void> };
