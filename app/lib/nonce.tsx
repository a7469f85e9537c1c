import { createContext, useContext } from "react";

/**
 * The request's CSP nonce, provided by app/entry.server.tsx for the framework's inline
 * scripts. In the browser it is empty: scripts added after load come from files.
 */
export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
