import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import proctorStyles from "~/styles/proctor.css?url";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { ProctorConsole } from "~/components/proctor/console";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: proctorStyles }];

export const meta: MetaFunction = () => [{ title: "Phòng coi thi — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["proctor", "centre_admin", "committee", "organisation_board"]);
  return withAppErrors(async () => {
    // The first paint comes from the server; the socket then takes over with live updates.
    const snapshot = await context.services.proctoring.snapshot(viewer, idParam(params, "examId"), new Map());
    return { snapshot };
  });
}

export default function ProctorRoom() {
  const { snapshot } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="lesson-meta">
        <Link to="/giam-thi">Coi thi trực tuyến</Link>
      </p>
      <ProctorConsole initial={snapshot} />
    </>
  );
}
