import type { Services } from "../services";

export class CliError extends Error {
  constructor(message: string, readonly code = 1) {
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
