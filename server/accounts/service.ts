import type { Database } from "../db";
import type { Role } from "../db/schema";
import type { Clock } from "../clock";
import { audit } from "../audit/log";
import { generatePassword, hashPassword } from "../auth/password";
import { canReach, scopeRoots, type Viewer } from "../auth/scope";
import { BadRequest, Forbidden, NotFound } from "../errors";
import { unitsUnder } from "../organisations/service";
import { readTable } from "../imports/table";
import { vnDay } from "../rules/dates";
import { newId } from "./ids";
import { requestedUsernames, validateTraineeTable, type RowIssue, type TraineeRow } from "./trainee-import";
import { insertTraineeAccounts } from "./usernames";

export { newId };

export interface NewAccount {
  username: string;
  password: string;
  displayName: string;
  personId?: number | null;
  mustChangePassword?: boolean;
  roles: { role: Role; orgUnitId: number; readOnly?: boolean }[];
}

export async function createAccount(db: Database, a: NewAccount): Promise<string> {
  const id = newId();
  const passwordHash = await hashPassword(a.password);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("user_account")
      .values({
        id,
        username: a.username.toLowerCase(),
        password_hash: passwordHash,
        display_name: a.displayName.normalize("NFC"),
        person_id: a.personId ?? null,
        must_change_password: a.mustChangePassword ?? false,
      })
      .execute();
    for (const r of a.roles) {
      await trx
        .insertInto("role_assignment")
        .values({ user_id: id, role: r.role, org_unit_id: r.orgUnitId, read_only: r.readOnly ?? false })
        .execute();
    }
  });
  return id;
}

/** Roles that may issue trainee accounts for the units of their subtree. */
const IMPORTERS: Role[] = ["centre_admin"];

export interface ImportPreview {
  batchId: string;
  fileName: string;
  rows: TraineeRow[];
  issues: RowIssue[];
  totalRows: number;
}

export interface IssuedCredential {
  row: number;
  fullName: string;
  birthDate: string;
  unitName: string;
  username: string;
  password: string;
}

export class ImportRefused extends BadRequest {
  constructor(
    message: string,
    readonly issues: RowIssue[] = [],
  ) {
    super(message);
  }
}

async function unitsInScope(db: Database, viewer: Viewer) {
  const units = await unitsUnder(db, scopeRoots(viewer, IMPORTERS));
  return units.map((u) => ({ id: u.id, name: u.name, abbreviation: u.abbreviation, shortName: u.short_name, path: u.path }));
}

async function takenUsernames(db: Database, candidates: string[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const rows = await db.selectFrom("user_account").select("username").where("username", "in", candidates).execute();
  return new Set(rows.map((r) => r.username));
}

/** Parse and check an uploaded trainee list; nothing is created yet. */
export async function previewTraineeImport(
  db: Database,
  viewer: Viewer,
  clock: Clock,
  file: { name: string; bytes: Uint8Array },
): Promise<ImportPreview> {
  const units = await unitsInScope(db, viewer);
  if (units.length === 0) throw new Forbidden("Bạn không có quyền cấp tài khoản học viên.");
  const table = await readTable(file.name, file.bytes);
  const { rows, issues } = validateTraineeTable(table, {
    units,
    takenUsernames: await takenUsernames(db, requestedUsernames(table)),
    today: vnDay(clock.now()),
  });
  const batchId = newId();
  await db
    .insertInto("import_batch")
    .values({
      id: batchId,
      kind: "trainees",
      created_by: viewer.userId,
      org_unit_id: units[0]!.id,
      file_name: file.name,
      rows: JSON.stringify(rows),
      issues: JSON.stringify(issues),
    })
    .execute();
  return { batchId, fileName: file.name, rows, issues, totalRows: table.rows.length };
}

/**
 * Create people and trainee accounts from a previewed batch, all or nothing.
 * With issues present, only `onlyValid` lets the valid rows through. The generated
 * passwords are returned once and never stored in clear.
 */
export async function commitTraineeImport(
  db: Database,
  viewer: Viewer,
  clock: Clock,
  batchId: string,
  opts: { onlyValid: boolean },
): Promise<IssuedCredential[]> {
  const batch = await db.selectFrom("import_batch").selectAll().where("id", "=", batchId).executeTakeFirst();
  if (!batch || batch.kind !== "trainees") throw new NotFound("Không tìm thấy lượt nhập này; hãy tải tệp lên lại.");
  if (batch.created_by !== viewer.userId) throw new Forbidden("Lượt nhập này do người khác tạo.");
  if (batch.status === "committed") throw new ImportRefused("Danh sách này đã được nhập rồi.");
  const rows = batch.rows as TraineeRow[];
  const issues = batch.issues as RowIssue[];
  if (issues.length > 0 && !opts.onlyValid)
    throw new ImportRefused("Tệp còn lỗi: hãy sửa tệp và tải lên lại, hoặc chọn chỉ nhập các dòng hợp lệ.", issues);
  if (rows.length === 0) throw new ImportRefused("Không có dòng hợp lệ nào để nhập.");

  // Scope is checked again at commit: roles may have changed since the preview.
  const units = await unitsInScope(db, viewer);
  for (const r of rows) {
    const unit = units.find((u) => u.id === r.unitId);
    if (!unit || !canReach(viewer, IMPORTERS, unit.path, { write: true }))
      throw new Forbidden(`Dòng ${r.row}: bạn không có quyền với đơn vị “${r.unitName}”.`);
  }
  const taken = await takenUsernames(
    db,
    rows.map((r) => r.username).filter((u): u is string => !!u),
  );
  const clash = rows.find((r) => r.username && taken.has(r.username));
  if (clash)
    throw new ImportRefused(`Dòng ${clash.row}: tên đăng nhập “${clash.username}” vừa được người khác dùng; hãy đổi tên và tải lên lại.`);

  const credentials: IssuedCredential[] = rows.map((r) => ({
    row: r.row,
    fullName: r.fullName,
    birthDate: r.birthDate,
    unitName: r.unitName,
    username: r.username ?? "",
    password: generatePassword(),
  }));
  const hashes = await Promise.all(credentials.map((c) => hashPassword(c.password)));

  await db.transaction().execute(async (trx) => {
    const people: number[] = [];
    for (const r of rows) {
      const person = await trx
        .insertInto("person")
        .values({
          org_unit_id: r.unitId,
          full_name: r.fullName,
          birth_date: r.birthDate,
          gender: r.gender,
          ethnicity: r.ethnicity,
          education_level: r.education,
          party_status: r.partyStatus,
          admission_date: r.admissionDate,
          position: r.position,
          phone: r.phone,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      people.push(person.id);
    }
    // Blank usernames continue the year's sequence (hv26 0001, hv26 0002, …; usernames.ts).
    const usernames = await insertTraineeAccounts(
      trx,
      vnDay(clock.now()),
      rows.map((r, i) => ({
        personId: people[i]!,
        displayName: r.fullName,
        orgUnitId: r.unitId,
        passwordHash: hashes[i]!,
        username: r.username,
      })),
    );
    usernames.forEach((u, i) => (credentials[i]!.username = u));
    await trx.updateTable("import_batch").set({ status: "committed", committed_at: clock.now() }).where("id", "=", batchId).execute();
    await audit(trx, {
      actorId: viewer.userId,
      action: "accounts.imported",
      entityType: "import_batch",
      entityId: batchId,
      orgUnitId: batch.org_unit_id,
      details: { fileName: batch.file_name, created: rows.length, skippedRows: issues.map((i) => i.row) },
    });
  });
  return credentials;
}
