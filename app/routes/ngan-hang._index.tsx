import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";

export const meta: MetaFunction = () => [{ title: "Ngân hàng câu hỏi — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["lecturer", "committee"]);
  return withAppErrors(async () => {
    return { banks: await context.services.banks.banks(viewer) };
  });
}

export default function Banks() {
  const { banks } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Ngân hàng câu hỏi</h1>
      <div className="cards">
        {banks.map((b) => (
          <Link key={b.id} to={`/ngan-hang/${b.id}`} className="card card-link">
            <strong>{b.name}</strong>
            <p>
              {Number(b.approved)} câu đã duyệt · {Number(b.submitted)} chờ duyệt · {Number(b.draft)} bản nháp
            </p>
          </Link>
        ))}
      </div>
    </>
  );
}
