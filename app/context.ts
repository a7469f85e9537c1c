import type { LoadContext } from "../server/http/app";

// Loaders and actions receive the server's services through the load context;
// only types cross from server/ into app/ (stack.md, trap 2).
declare module "@remix-run/node" {
  interface AppLoadContext extends LoadContext {}
}

export {};
