// proxy-addr (Express's own dependency) ships no types; only what client-address.ts uses.
declare module "proxy-addr" {
  import type { IncomingMessage } from "node:http";
  type Trust = (addr: string, hop: number) => boolean;
  function proxyaddr(req: IncomingMessage, trust: Trust | string | string[]): string | undefined;
  namespace proxyaddr {
    function compile(val: string | string[]): Trust;
    function all(req: IncomingMessage, trust?: Trust | string | string[]): string[];
  }
  export default proxyaddr;
}
