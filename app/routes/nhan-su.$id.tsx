import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { withAppErrors } from "~/lib/app-errors.server";
import { idParam } from "~/lib/params.server";
import { PersonFacts, personView } from "~/components/person-facts";

export const meta: MetaFunction = () => [{ title: "Thông tin cá nhân — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const id = idParam(params, "id");
  return withAppErrors(async () => {
    return personView(await context.services.organisations.person(viewer, id));
  });
}

export default function PersonPage() {
  const person = useLoaderData<typeof loader>();
  return <PersonFacts person={person} />;
}
