import type { Viewer } from "../auth/scope";
import { compareVietnameseNames } from "../rules/vietnamese-names";
import { nextDocumentNumber } from "../classes/numbering";
import { renderIncidentReport } from "./incident-report";
import type { ProctorContext } from "./context";
import { access } from "./session";
import { rows } from "./live";
import { recentEvents } from "./event-log";

/** The session's printed record. */
export function reportMethods(ctx: ProctorContext) {
  const { db, clock } = ctx;
  return {
    /** The incident report (biên bản) of a session as a PDF in the Party layout. */
    async incidentReportPdf(viewer: Viewer, examId: number): Promise<{ fileName: string; pdf: Uint8Array }> {
      const s = await access(db, viewer, examId, "watch");
      const list = await rows(db, clock, examId, s.class_id, new Map());
      list.sort((a, b) => compareVietnameseNames(a.name, b.name));
      const events = await recentEvents(db, examId, 5000);
      const proctors = await db
        .selectFrom("exam_proctor as ep")
        .innerJoin("user_account as u", "u.id", "ep.user_id")
        .select("u.display_name")
        .where("ep.exam_id", "=", examId)
        .execute();
      // Numbered in the centre's register once, at the first printing; reprints keep it.
      let seq = s.incident_report_no;
      if (seq === null) {
        seq = await db.transaction().execute(async (trx) => {
          const current = await trx
            .selectFrom("exam")
            .select("incident_report_no")
            .where("id", "=", examId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          if (current.incident_report_no !== null) return current.incident_report_no;
          const n = await nextDocumentNumber(trx, { unitId: s.unit_id, docType: "BB", issuerAbbr: s.centre_abbr });
          await trx.updateTable("exam").set({ incident_report_no: n.no }).where("id", "=", examId).execute();
          return n.no;
        });
      }
      const pdf = await renderIncidentReport({
        seq,
        session: s,
        parentName: s.unit_name,
        rows: list,
        events,
        proctors: proctors.map((p) => p.display_name),
        signer: viewer.displayName,
        now: clock.now(),
      });
      return { fileName: `bien-ban-ca-thi-${examId}.pdf`, pdf };
    },
  };
}
