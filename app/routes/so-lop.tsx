import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/guards.server";

/**
 * The old class register index ("Sổ lớp"): folded into the class list and each class's home
 * (issue 14, item 7). Kept so old links and bookmarks still land somewhere useful; the guard
 * stays so a role that never had it is refused, not redirected.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  requireRole(context, request, ["centre_admin", "lecturer", "proctor", "organisation_board", "committee"]);
  return redirect("/lop");
}
