import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/** POST only: logging out by a link would let any page log a user out. */
export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = context.viewer;
  if (!viewer) return redirect("/dang-nhap");
  const form = await request.formData();
  const cookie =
    form.get("everywhere") === "1"
      ? await context.services.auth.logoutEverywhere(viewer.userId)
      : await context.services.auth.logout(viewer.sessionId);
  return redirect("/dang-nhap", { headers: { "Set-Cookie": cookie } });
}
