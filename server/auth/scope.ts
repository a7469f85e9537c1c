import type { Role } from "../db/schema";

/**
 * Roles are granted on an organisation unit and reach that unit's whole subtree.
 * Pure functions: shared by HTTP guards, socket guards and services.
 */
export interface RoleGrant {
  role: Role;
  orgUnitId: number;
  /** Materialised path of the unit ("/1/4/"); a unit is in scope when its path starts with this. */
  orgPath: string;
  orgName: string;
  readOnly: boolean;
}

export interface Viewer {
  userId: string;
  username: string;
  displayName: string;
  personId: number | null;
  mustChangePassword: boolean;
  sessionId: string;
  roles: RoleGrant[];
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Quản trị hệ thống",
  centre_admin: "Cán bộ trung tâm",
  lecturer: "Giảng viên",
  proctor: "Giám thị",
  organisation_board: "Ban Tổ chức",
  committee: "Ban Tuyên giáo",
  unit_secretary: "Bí thư chi bộ",
  trainee: "Học viên",
};

export const ALL_ROLES = Object.keys(ROLE_LABELS) as Role[];

export function isWithin(unitPath: string, scopePath: string): boolean {
  return unitPath.startsWith(scopePath);
}

export function hasRole(viewer: Pick<Viewer, "roles">, roles: readonly Role[]): boolean {
  return viewer.roles.some((g) => g.role === "admin" || roles.includes(g.role));
}

/** The grants among `roles` (admin always counts) whose subtree contains the unit. */
export function grantsOver(
  viewer: Pick<Viewer, "roles">,
  roles: readonly Role[],
  unitPath: string,
  opts: { write?: boolean } = {},
): RoleGrant[] {
  return viewer.roles.filter(
    (g) => (g.role === "admin" || roles.includes(g.role)) && isWithin(unitPath, g.orgPath) && !(opts.write && g.readOnly),
  );
}

export function canReach(viewer: Pick<Viewer, "roles">, roles: readonly Role[], unitPath: string, opts: { write?: boolean } = {}): boolean {
  return grantsOver(viewer, roles, unitPath, opts).length > 0;
}

/** The subtree roots a viewer may see with these roles, without nested duplicates. */
export function scopeRoots(viewer: Pick<Viewer, "roles">, roles: readonly Role[]): string[] {
  const paths = viewer.roles.filter((g) => g.role === "admin" || roles.includes(g.role)).map((g) => g.orgPath);
  return [...new Set(paths)].filter((p, _, all) => !all.some((q) => q !== p && p.startsWith(q))).sort();
}
