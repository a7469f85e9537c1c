import type { Database } from "../db";
import type { Clock } from "../clock";
import type { ServiceDeps } from "../service-deps";
import { hasRole, type Viewer } from "../auth/scope";
import { ATTENDANCE_LABELS } from "./attendance";
import { OUTCOME_LABELS } from "./classification";
import { DOCUMENT_TYPES } from "./official-documents";
import { MARKERS, type RecordsContext } from "./records/context";
import { classesFor } from "./records/scope";
import { attendanceSecret, policyMethods } from "./records/settings";
import { timetableMethods } from "./records/timetable";
import { attendanceMethods } from "./records/attendance";
import { conductMethods } from "./records/conduct";
import { resultMethods } from "./records/results";
import { certificateMethods } from "./records/certificates";
import { documentMethods } from "./records/documents";

export type { Problems } from "./records/context";

/**
 * Timetable, attendance, conduct, final results, certificates and official documents
 * (issue #7, part 2). The work is in server/classes/records/, one module per job
 * (issue #17); this factory composes them behind one service.
 */
export function createClassRecordsService(deps: ServiceDeps) {
  const { db, clock, config } = deps;
  const ctx: RecordsContext = { db, clock, config, figures: deps.figures, secret: attendanceSecret(db) };

  return {
    /** Classes in the viewer's scope, for the class register's index page. */
    classesFor: (viewer: Viewer) => classesFor(db, viewer),

    ...timetableMethods(ctx),
    ...attendanceMethods(ctx),
    ...conductMethods(ctx),
    ...policyMethods(ctx),
    ...resultMethods(ctx),
    ...certificateMethods(ctx),
    ...documentMethods(ctx),

    /** Classes the viewer may manage here (for the menu page). */
    async canManage(viewer: Viewer) {
      return hasRole(viewer, MARKERS);
    },

    labels: { attendance: ATTENDANCE_LABELS, outcome: OUTCOME_LABELS, docTypes: DOCUMENT_TYPES },
  };
}

export type ClassRecordsService = ReturnType<typeof createClassRecordsService>;
export type { Database, Clock };
