import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Đăng nhập — Bồi Dưỡng" }];

/** Only same-site paths: a crafted ?next= must not send users elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.viewer) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const username = String(form.get("username") ?? "");
  const result = await context.services.auth.login({
    username,
    password: String(form.get("password") ?? ""),
    ip: context.clientIp,
    userAgent: request.headers.get("user-agent"),
  });
  if (!result.ok) return data({ error: result.error, username }, { status: result.locked ? 429 : 400 });
  const to = result.viewer.mustChangePassword ? "/doi-mat-khau" : safeNext(String(form.get("next") ?? ""));
  return redirect(to, { headers: { "Set-Cookie": result.cookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="login-wrap">
      <h1>Đăng nhập</h1>
      <div className="card">
        <Form method="post" className="form" aria-describedby={actionData?.error ? "login-error" : undefined}>
          {actionData?.error ? (
            <p id="login-error" className="form-error" role="alert">
              {actionData.error}
            </p>
          ) : null}
          <input type="hidden" name="next" value={params.get("next") ?? ""} />
          <div className="field">
            <label htmlFor="username">Tên đăng nhập</label>
            <input
              id="username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              defaultValue={actionData?.username}
            />
            <p className="hint">Mã học viên hoặc tên đăng nhập in trên giấy triệu tập.</p>
          </div>
          <div className="field">
            <label htmlFor="password">Mật khẩu</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <button className="button" type="submit" disabled={busy}>
            {busy ? "Đang đăng nhập…" : "Đăng nhập"}
          </button>
        </Form>
      </div>
      <p className="muted">Quên mật khẩu? Liên hệ cán bộ trung tâm chính trị để được cấp lại.</p>
    </div>
  );
}
