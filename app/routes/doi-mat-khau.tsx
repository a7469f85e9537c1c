import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { Notice } from "~/components/action-notice";

export const meta: MetaFunction = () => [{ title: "Đổi mật khẩu — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  return { mustChange: viewer.mustChangePassword, done: new URL(request.url).searchParams.has("xong") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const form = await request.formData();
  const current = String(form.get("current") ?? "");
  const next = String(form.get("next") ?? "");
  if (next !== String(form.get("confirm") ?? ""))
    return data({ field: "confirm" as const, error: "Mật khẩu nhập lại không khớp." }, { status: 400 });
  const result = await context.services.auth.changePassword(viewer, current, next);
  if (!result.ok) return data({ field: result.field, error: result.error }, { status: 400 });
  return redirect(viewer.mustChangePassword ? "/" : "/doi-mat-khau?xong", { headers: { "Set-Cookie": result.cookie } });
}

export default function ChangePassword() {
  const { mustChange, done } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const err = (f: string) => (a?.field === f ? a.error : undefined);
  return (
    <div className="login-wrap">
      <h1>Đổi mật khẩu</h1>
      {mustChange ? <Notice>Đây là lần đăng nhập đầu tiên. Vui lòng đặt mật khẩu của riêng bạn trước khi tiếp tục.</Notice> : null}
      {done ? <Notice>Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất.</Notice> : null}
      <div className="card">
        <Form method="post" className="form">
          {[
            {
              name: "current",
              label: "Mật khẩu hiện tại",
              auto: "current-password",
              hint: mustChange ? "Mật khẩu in trên giấy triệu tập hoặc do cán bộ cấp." : undefined,
            },
            { name: "next", label: "Mật khẩu mới", auto: "new-password", hint: "Ít nhất 8 ký tự, không trùng tên đăng nhập." },
            { name: "confirm", label: "Nhập lại mật khẩu mới", auto: "new-password" },
          ].map((f) => (
            <div className="field" key={f.name}>
              <label htmlFor={f.name}>{f.label}</label>
              <input
                id={f.name}
                name={f.name}
                type="password"
                autoComplete={f.auto}
                required
                aria-invalid={err(f.name) ? true : undefined}
                aria-describedby={err(f.name) ? `${f.name}-error` : undefined}
              />
              {f.hint ? <p className="hint">{f.hint}</p> : null}
              {err(f.name) ? (
                <p className="error" id={`${f.name}-error`} role="alert">
                  {err(f.name)}
                </p>
              ) : null}
            </div>
          ))}
          <button className="button" type="submit" disabled={busy}>
            Lưu mật khẩu mới
          </button>
        </Form>
      </div>
      {!mustChange ? (
        <div className="card">
          <h2>Đăng xuất khỏi mọi thiết bị</h2>
          <p>Dùng khi bạn nghi ngờ người khác biết mật khẩu hoặc quên đăng xuất trên máy dùng chung.</p>
          <Form method="post" action="/dang-xuat">
            <input type="hidden" name="everywhere" value="1" />
            <button className="button button--secondary" type="submit">
              Đăng xuất mọi nơi
            </button>
          </Form>
        </div>
      ) : null}
    </div>
  );
}
