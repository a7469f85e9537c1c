import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireViewer } from "~/lib/guards.server";
import { PersonFacts, personView } from "~/components/person-facts";

export const meta: MetaFunction = () => [{ title: "Hồ sơ của tôi — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireViewer(context, request);
  if (!viewer.personId) return { person: null, username: viewer.username };
  return { person: personView(await context.services.organisations.person(viewer, viewer.personId)), username: viewer.username };
}

export default function MyProfile() {
  const { person, username } = useLoaderData<typeof loader>();
  if (!person) return <p>Tài khoản {username} chưa gắn với hồ sơ cá nhân nào.</p>;
  return <PersonFacts person={person} />;
}
