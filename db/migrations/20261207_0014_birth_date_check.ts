import { type Kysely, sql } from "kysely";

// Frozen once landed: never import application code here.

/**
 * Birth dates within 1900-01-01 .. today (issue 14): the demo generator once wrote
 * "19100-05-18", which PostgreSQL stores as a date and every document then refused.
 * The upper bound only ever widens with time, so a dump restores on a later day.
 * Dates already outside the range cannot be anyone's birth date: they are cleared
 * (null is "not known", which the documents flag by name for someone to fill in),
 * and the audit log keeps what was cleared.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    with bad as (
      select id, birth_date from person
      where birth_date < date '1900-01-01' or birth_date > current_date
    ), cleared as (
      update person p set birth_date = null from bad where p.id = bad.id
      returning p.id, bad.birth_date as was
    )
    insert into audit_log (actor_id, action, entity_type, entity_id, reason, details)
    select null, 'person.birth_date_cleared', 'person', id::text, 'Ngày sinh ngoài khoảng 01/01/1900 – hôm nay (migration 20261207_0014)',
           jsonb_build_object('birthDate', was::text)
    from cleared`.execute(db);
  await sql`alter table person add constraint person_birth_date_range
    check (birth_date is null or (birth_date >= date '1900-01-01' and birth_date <= current_date))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table person drop constraint if exists person_birth_date_range`.execute(db);
}
