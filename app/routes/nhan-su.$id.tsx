import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { asResponse, requireViewer } from "~/lib/guards.server";
import { idParam } from "~/lib/params.server";
import { PersonFacts, personView } from "~/components/person-facts";

export const meta: MetaFunction = () => [{ title: "Thông tin cá nhân — Bồi Dưỡng" }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  const id = idParam(params, "id");
  try {
    return personView(await context.services.organisations.person(viewer, id));
  } catch (e) {
    throw asResponse(e);
  }
}

export default function PersonPage() {
  const person = useLoaderData<typeof loader>();
  return <PersonFacts person={person} />;
}
