/**
 * The one acknowledgement helper of the Socket.IO handlers (decision 033): a client may
 * emit without asking for an acknowledgement, or put anything in its place, so the
 * callback the contract types is checked at run time.
 */
export function ackOf<F extends (reply: never) => void>(cb: F | undefined): F {
  return (typeof cb === "function" ? cb : () => {}) as F;
}
