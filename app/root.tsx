import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import stylesHref from "./styles/app.css?url";
import { navFor } from "./lib/navigation";
import { usePrefetch } from "./lib/online";
import { useNonce } from "./lib/nonce";
import { useFocusMode } from "./lib/focus-mode";
import { ROLE_LABELS } from "../server/auth/scope";
import "./context";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.ico" },
];

export const meta: MetaFunction = () => [{ title: "Bồi Dưỡng" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const v = context.viewer;
  if (!v) return { viewer: null };
  const roles = [...new Set(v.roles.map((r) => r.role))];
  return {
    viewer: {
      displayName: v.displayName,
      username: v.username,
      roles,
      roleLabels: roles.map((r) => ROLE_LABELS[r]),
      mustChangePassword: v.mustChangePassword,
    },
  };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const focused = useFocusMode();
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#a50f15" />
        <Meta />
        <Links />
      </head>
      <body>
        {focused ? null : (
          <a className="skip-link" href="#main">
            Bỏ qua, tới nội dung chính
          </a>
        )}
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/** The header and menu; also shown on error pages so the user can go on or log out. */
function SiteHeader() {
  const viewer = useRouteLoaderData<typeof loader>("root")?.viewer ?? null;
  const nav = viewer && !viewer.mustChangePassword ? navFor(viewer.roles) : [];
  const prefetch = usePrefetch();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <a href="/" className="brand" aria-label="Bồi Dưỡng — trang chủ">
          <span className="brand__mark" aria-hidden="true">
            ★
          </span>{" "}
          Bồi Dưỡng
        </a>
        {viewer ? (
          <div className="user-box">
            <span className="user-box__name">{viewer.displayName}</span>
            <span className="user-box__roles">{viewer.roleLabels.join(", ")}</span>
            <Form method="post" action="/dang-xuat">
              <button type="submit" className="link-button">
                Đăng xuất
              </button>
            </Form>
          </div>
        ) : null}
      </div>
      {nav.length > 0 ? (
        <nav aria-label="Điều hướng chính" className="main-nav">
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === "/"} prefetch={prefetch}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}

export default function App() {
  // A running exam is a focused mode: no menu, no logout one tap away (decision 022).
  const focused = useFocusMode();
  return (
    <>
      {focused ? null : <SiteHeader />}
      <main id="main" className={focused ? "page page--focus" : "page"}>
        <Outlet />
      </main>
      {focused ? null : <footer className="site-footer">Nền tảng bồi dưỡng chính trị trực tuyến</footer>}
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "Đã có lỗi xảy ra";
  let message = "Vui lòng thử lại sau ít phút. Nếu lỗi còn tiếp diễn, hãy báo cho cán bộ trung tâm.";
  if (isRouteErrorResponse(error)) {
    if (error.status === 403) title = "Không có quyền truy cập";
    else if (error.status === 404) title = "Không tìm thấy trang";
    message = typeof error.data === "string" && error.data ? error.data : error.status === 404 ? "Địa chỉ này không tồn tại." : message;
  }
  return (
    <>
      <SiteHeader />
      <main id="main" className="page">
        <div className="card error-card" role="alert">
          <h1>{title}</h1>
          <p>{message}</p>
          <p>
            <a href="/">Về trang chủ</a>
          </p>
        </div>
      </main>
    </>
  );
}
