import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { requireRole } from "~/lib/guards.server";
import proctorStyles from "~/styles/proctor.css?url";
import { useOnConnect, useSocket, type AppClientSocket } from "~/lib/realtime/use-socket";
import type { LiveSummary } from "../../server/realtime/contract";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: proctorStyles }];
export const meta: MetaFunction = () => [{ title: "Kết quả trực tiếp — Bồi Dưỡng" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const viewer = requireRole(context, request, ["committee", "organisation_board", "centre_admin"]);
  return { summaries: await context.services.proctoring.liveResults(viewer) };
}

function percent(x: number) {
  return `${Math.round(x * 1000) / 10}%`;
}

/**
 * Results arriving class by class while sessions run: the server pushes a fresh
 * summary of a session at most once a second while attempts are graded, only to
 * watchers whose organisation subtree contains the class.
 */
export default function LiveResults() {
  const { summaries: initial } = useLoaderData<typeof loader>();
  const [summaries, setSummaries] = useState<LiveSummary[]>(initial);
  const [flash, setFlash] = useState<number | null>(null);
  const [watching, setWatching] = useState(false);
  const { socket, connected: online } = useSocket();
  const connected = online && watching;
  const watch = useCallback((s: AppClientSocket) => {
    s.emit("results:watch", {}, (r) => {
      if (r.ok) setSummaries(r.summaries);
      setWatching(r.ok);
    });
  }, []);
  useOnConnect(socket, watch);
  useEffect(() => {
    if (!socket) return;
    const update = (s: LiveSummary) => {
      setSummaries((prev) => [s, ...prev.filter((p) => p.examId !== s.examId)]);
      setFlash(s.examId);
    };
    socket.on("results:update", update);
    return () => {
      socket.off("results:update", update);
    };
  }, [socket]);
  return (
    <>
      <h1>Kết quả trực tiếp</h1>
      <p className="lead">
        Kết quả các ca thi trong phạm vi của bạn, cập nhật ngay khi học viên nộp bài.{" "}
        <span className={connected ? "conn conn--on" : "conn conn--off"} role="status">
          {connected ? "Đang cập nhật trực tiếp" : "Đang kết nối…"}
        </span>
      </p>
      {summaries.length === 0 ? <p className="card">Chưa có ca thi nào trong phạm vi của bạn.</p> : null}
      <ul className="live-grid" aria-live="polite">
        {summaries.map((s) => {
          const max = Math.max(1, ...s.distribution);
          return (
            <li key={s.examId} className={`card live-card${flash === s.examId ? " live-flash" : ""}`} data-testid={`live-${s.examId}`}>
              <h2>{s.className}</h2>
              <p className="muted" style={{ margin: 0 }}>
                {s.title} · {s.centreName}
              </p>
              <p style={{ margin: ".4rem 0" }}>
                Đã nộp <strong data-testid={`submitted-${s.examId}`}>{s.submitted}</strong>/{s.enrolled} · Đạt{" "}
                <strong>{percent(s.passRate)}</strong>
              </p>
              <div className="bars" role="img" aria-label={`Phân bố điểm: ${s.distribution.map((n, i) => `${i} điểm: ${n}`).join(", ")}`}>
                {s.distribution.map((n, i) => (
                  <span key={i} style={{ height: `${(n / max) * 100}%` }} title={`${i} điểm: ${n}`} />
                ))}
              </div>
              <div className="bars-axis" aria-hidden="true">
                <span>0</span>
                <span>5</span>
                <span>10</span>
              </div>
              <p className="band-row">
                {s.bands.map((b) => (
                  <span key={b.code}>
                    {b.label}: <strong>{b.count}</strong>
                  </span>
                ))}
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
}
