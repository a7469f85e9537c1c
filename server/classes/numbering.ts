import { sql, type Kysely } from "kysely";
import type { DB } from "../db/schema";
import { formatDocumentNumber } from "../documents/model";
import { BadRequest, NotFound } from "../errors";

/**
 * Official document numbers (domain brief §6): "05-TB/TTCT" — a number that runs from
 * 01 per issuer, per document type, per committee term (nhiệm kỳ), with a leading zero
 * below 10. The counter lives in `document_counter`; one upsert … returning makes it
 * safe under concurrent issue on both PostgreSQL and PGlite (decision 008).
 */

export interface TermSource {
  term_label: string | null;
  term_start: string | null;
}

export interface Term {
  /** The counter's key: the term label, else its start date; "" when no unit has a term. */
  key: string;
  /** As printed/stored with the number, e.g. "2025-2030". */
  label: string;
}

/**
 * The committee term that governs a unit's numbering: the unit's own term when it has
 * one, else the nearest ancestor's (a cell or a centre's unit may not carry a term of
 * its own). `chain` is the unit first, then its parents up to the root.
 */
export function selectTerm(chain: TermSource[]): Term {
  for (const u of chain) {
    const label = u.term_label?.trim() || null;
    if (label || u.term_start) return { key: label ?? `từ ${u.term_start}`, label: label ?? `từ ${u.term_start}` };
  }
  return { key: "", label: "" };
}

/** "05-TB/TTCT" (formatDocumentNumber's "Số 05-TB/TTCT" without "Số "). */
export function documentNumberLabel(no: number, docType: string, issuerAbbr: string): string {
  return formatDocumentNumber(no, docType, issuerAbbr).replace(/^Số /, "");
}

export interface DocumentNumber {
  no: number;
  label: string;
  termLabel: string;
}

/**
 * The next number of a document type issued for an organisation unit, in the unit's
 * current committee term. The issuer's abbreviation is the training centre's when the
 * unit runs one (centre documents: QĐ/TTCT, GTT/TTCT, TB/TTCT), else the unit's own;
 * pass `issuerAbbr` to number a committee's own documents separately ("TB/ĐU").
 * Call it inside the transaction that stores the document, so a rollback gives the
 * number back.
 */
export async function nextDocumentNumber(
  db: Kysely<DB>,
  input: { unitId: number; docType: string; issuerAbbr?: string },
): Promise<DocumentNumber> {
  const docType = input.docType.trim();
  if (!/^[\p{Lu}\p{N}]{1,10}$/u.test(docType))
    throw new BadRequest(`Loại văn bản "${input.docType}" không hợp lệ: dùng chữ viết tắt in hoa, ví dụ TB, QĐ, GTT.`);
  const chain = await unitChain(db, input.unitId);
  if (chain.length === 0) throw new NotFound("Không tìm thấy đơn vị ban hành văn bản.");
  const term = selectTerm(chain);
  let issuerAbbr = input.issuerAbbr?.trim();
  if (!issuerAbbr) {
    const centre = await db
      .selectFrom("training_centre")
      .select("abbreviation")
      .where("org_unit_id", "=", input.unitId)
      .orderBy("id")
      .executeTakeFirst();
    issuerAbbr = centre?.abbreviation ?? chain[0]!.abbreviation;
  }
  const row = await db
    .insertInto("document_counter")
    .values({ unit_id: input.unitId, issuer_abbr: issuerAbbr, doc_type: docType, term_key: term.key, last_no: 1 })
    .onConflict((oc) =>
      oc.columns(["unit_id", "issuer_abbr", "doc_type", "term_key"]).doUpdateSet({
        last_no: sql<number>`document_counter.last_no + 1`,
        updated_at: sql<Date>`now()`,
      }),
    )
    .returning("last_no")
    .executeTakeFirstOrThrow();
  return { no: row.last_no, label: documentNumberLabel(row.last_no, docType, issuerAbbr), termLabel: term.label };
}

/** The unit and its ancestors, nearest first (from the materialised path). */
async function unitChain(db: Kysely<DB>, unitId: number) {
  const unit = await db.selectFrom("org_unit").select(["id", "path"]).where("id", "=", unitId).executeTakeFirst();
  if (!unit) return [];
  const ids = unit.path.split("/").filter(Boolean).map(Number);
  if (ids.length === 0) ids.push(unit.id);
  const rows = await db.selectFrom("org_unit").select(["id", "abbreviation", "term_label", "term_start"]).where("id", "in", ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.reverse().flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}
