import { sql } from "kysely";
import type { Database } from "../db";

/** One choice answer to store (display positions; mapped to stored options in SQL). */
export interface ChoiceAnswer {
  attemptId: number;
  personId: number;
  position: number;
  display: number[];
  flagged: boolean;
  seq: number;
  at: Date;
  /** SHA-256 of the device token presented (decision 018); must equal the attempt's. */
  tokenHash: string;
}

interface Pending extends ChoiceAnswer {
  resolve(seq: number | null): void;
  reject(e: unknown): void;
}

/**
 * Group commit of exam answers (docs/performance.md, "exam load"): answers that arrive
 * while earlier statements are running are written together by one statement, so under
 * load the server sends PostgreSQL one statement — one round trip, one WAL flush — for
 * many answers instead of one each; with nothing in flight an answer goes out at once,
 * so a quiet exam pays no waiting.
 *
 * Each answer keeps its own checks (owner, the attempt's accepted device, attempt in
 * progress, not paused or locked, before the deadline plus grace, newer sequence number,
 * options in range, one option on a single-choice item) and the
 * statement's share lock on the attempts serialises it with submission exactly as the
 * single-answer statement did. No two statements in flight ever touch the same
 * question of the same attempt (a later answer to it waits for the next batch), so
 * batches never deadlock each other and sequence numbers stay ordered.
 *
 * `save` resolves with the stored sequence number, or null when the answer changed
 * nothing (the caller then finds out why); it rejects when the statement failed, and
 * then nothing of that batch was stored.
 */
export function createAnswerBatcher(db: Database, opts: { maxInFlight?: number; maxBatch?: number } = {}) {
  const maxInFlight = opts.maxInFlight ?? 4;
  const maxBatch = opts.maxBatch ?? 200;
  let queue: Pending[] = [];
  let inFlight = 0;
  const busy = new Set<string>();
  const keyOf = (a: ChoiceAnswer) => `${a.attemptId}:${a.position}`;

  function pump() {
    while (inFlight < maxInFlight && queue.length) {
      const batch: Pending[] = [];
      const rest: Pending[] = [];
      const taken = new Set<string>();
      for (const p of queue) {
        const k = keyOf(p);
        if (batch.length < maxBatch && !busy.has(k) && !taken.has(k)) {
          batch.push(p);
          taken.add(k);
        } else rest.push(p);
      }
      if (!batch.length) return; // everything waits for a question already in flight
      queue = rest;
      for (const k of taken) busy.add(k);
      inFlight++;
      void write(batch).finally(() => {
        inFlight--;
        for (const k of taken) busy.delete(k);
        pump();
      });
    }
  }

  async function write(batch: Pending[]) {
    try {
      const r = await sql<{ k: number; seq: number }>`
        with input as (
          select * from unnest(
            ${batch.map((_, i) => i)}::int[], ${batch.map((b) => b.attemptId)}::int[], ${batch.map((b) => b.personId)}::int[],
            ${batch.map((b) => b.position)}::int[], ${batch.map((b) => JSON.stringify(b.display))}::text[],
            ${batch.map((b) => b.flagged)}::bool[], ${batch.map((b) => b.seq)}::int[], ${batch.map((b) => b.at.toISOString())}::timestamptz[],
            ${batch.map((b) => b.tokenHash)}::text[]
          ) as t(k, attempt_id, person_id, position, display, flagged, seq, at, token_hash)
        ),
        a as (
          select input.k from input
          join attempt a on a.id = input.attempt_id and a.person_id = input.person_id
          join exam e on e.id = a.exam_id
          where a.status = 'in_progress' and a.paused_at is null and a.locked_at is null
            -- The device binding (decision 018) costs no query: the row is read here anyway.
            and a.device_token_hash = input.token_hash
            and a.deadline_at + make_interval(secs => e.grace_seconds) >= input.at
          for share of a
        )
        update attempt_item i set
          chosen = coalesce((select jsonb_agg((i.option_order ->> d.v::int)::int order by d.ord) from jsonb_array_elements_text(input.display::jsonb) with ordinality as d(v, ord)), '[]'::jsonb),
          flagged = input.flagged, seq = input.seq, saved_at = input.at
        from input join a on a.k = input.k
        where i.attempt_id = input.attempt_id and i.position = input.position and i.seq < input.seq
          and (select coalesce(bool_and(d::int < jsonb_array_length(i.option_order)), true) from jsonb_array_elements_text(input.display::jsonb) d)
          -- Several options only where several may be chosen (a primary-key read, only then).
          and (jsonb_array_length(input.display::jsonb) <= 1 or exists (select 1 from question_version v where v.id = i.question_version_id and v.type = 'multiple'))
        returning input.k, i.seq`.execute(db);
      const stored = new Map(r.rows.map((row) => [Number(row.k), Number(row.seq)]));
      batch.forEach((b, i) => b.resolve(stored.get(i) ?? null));
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  }

  return {
    save(answer: ChoiceAnswer): Promise<number | null> {
      return new Promise((resolve, reject) => {
        queue.push({ ...answer, resolve, reject });
        pump();
      });
    },
  };
}
