import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Journal, type JournalEntry } from "./journal";
import { noteLateAnswers } from "./device";
import type { AppClientSocket } from "~/lib/realtime/use-socket";
import type { AnswerReply, Paper, PaperItem } from "../../../server/realtime/contract";

/** A journal entry may carry an essay's text (the journal stores entries whole). */
type Entry = JournalEntry & { text?: string };

export type SaveState = "saved" | "saving" | "unsaved" | "empty" | "editing";
export interface AnswerState {
  chosen: number[];
  text: string;
  flagged: boolean;
  state: SaveState;
}

const TERMINAL = new Set(["not_in_progress", "deadline_passed", "not_found", "forbidden"]);
/** This screen's device no longer holds the attempt (decision 018): stop sending, keep the journal, say why. */
export const DEVICE = new Set(["device_conflict", "device_replaced"]);
/** How long typing pauses before an essay draft is saved. */
const ESSAY_SAVE_DELAY_MS = 1500;

export const isAnswered = (a: { chosen: number[]; text: string }) => a.chosen.length > 0 || a.text.trim().length > 0;

/**
 * The trainee's answers and their way to the server: each change is written to the
 * journal (IndexedDB) first, then sent over Socket.IO with the HTTP fallback, and
 * marked saved only on the server's acknowledgement; unsent entries are replayed in
 * sequence order (on reconnect, every few seconds, before submitting).
 */
export function useAnswerQueue(opts: { paper: Paper; socket: AppClientSocket | null; deviceToken: string; isBlocked: () => boolean }) {
  const { paper, socket, deviceToken } = opts;
  const { attemptId } = paper;
  const socketRef = useRef(socket);
  socketRef.current = socket;
  /** Handed in, or a proctor's pause, lock or takeover holds the screen: no new answers. */
  const isBlocked = useRef(opts.isBlocked);
  isBlocked.current = opts.isBlocked;
  // Set when the server refuses this device (device_conflict / device_replaced).
  const [deviceRefused, setDeviceRefused] = useState<string | null>(null);
  const deviceRefusedRef = useRef<string | null>(null);
  const lateCount = useRef(0);
  const [answers, setAnswers] = useState<Record<number, AnswerState>>(() =>
    Object.fromEntries(
      paper.items.map((i) => [
        i.position,
        { chosen: i.chosen, text: i.text ?? "", flagged: i.flagged, state: i.seq > 0 ? "saved" : "empty" },
      ]),
    ),
  );
  const [itemError, setItemError] = useState<Record<number, string>>({});
  const [closed, setClosed] = useState<string | null>(null);
  const essayTimers = useRef<Record<number, number>>({});
  const journal = useMemo(() => new Journal(attemptId), [attemptId]);
  const seqRef = useRef(0);
  const latestSeq = useRef<Record<number, number>>({});

  useEffect(() => {
    const stored = Number(localStorage.getItem(`exam-seq-${attemptId}`) ?? 0);
    seqRef.current = Math.max(stored, ...paper.items.map((i) => i.seq), 0);
  }, [attemptId, paper.items]);

  const nextSeq = () => {
    seqRef.current += 1;
    localStorage.setItem(`exam-seq-${attemptId}`, String(seqRef.current));
    return seqRef.current;
  };

  const refuseDevice = useCallback((error: string) => {
    deviceRefusedRef.current = error;
    setDeviceRefused(error);
  }, []);

  const send = useCallback(
    async (entry: Entry): Promise<void> => {
      if (deviceRefusedRef.current) return; // kept in the journal: nothing this device sends is stored
      const e = { ...entry, deviceToken };
      let r: AnswerReply | null = null;
      const s = socketRef.current;
      if (s?.connected) {
        try {
          r = await s.timeout(5000).emitWithAck("exam:answer", e);
        } catch {
          r = null;
        }
      }
      if (!r) {
        try {
          const res = await fetch(`/api/thi/${attemptId}`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ type: "answer", ...e }),
          });
          r = (await res.json()) as AnswerReply;
        } catch {
          r = null;
        }
      }
      if (r && !r.ok && DEVICE.has(r.error)) {
        refuseDevice(r.error);
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
        return;
      }
      if (r && !r.ok && (r.error === "too_long" || r.error === "bad_request")) {
        // Can never be stored as it is: keep it on screen, stop retrying, say what to do.
        const message = r.message;
        await journal.ack(e.position, e.seq);
        setItemError((m) => ({ ...m, [e.position]: message }));
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
        return;
      }
      if (r?.ok) {
        const seq = r.seq;
        setItemError((m) => (m[e.position] ? { ...m, [e.position]: "" } : m));
        await journal.ack(e.position, seq);
        if ((latestSeq.current[e.position] ?? 0) <= seq) setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "saved" } }));
      } else if (r && TERMINAL.has(r.error)) {
        // Can never be stored (time is up or the attempt was submitted): stop retrying it.
        await journal.ack(e.position, e.seq);
        if (r.error === "deadline_passed") noteLateAnswers(attemptId, ++lateCount.current);
        setClosed(r.message);
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
      } else {
        setAnswers((a) => ({ ...a, [e.position]: { ...a[e.position]!, state: "unsaved" } }));
      }
    },
    [attemptId, journal, deviceToken, refuseDevice],
  );

  const flush = useCallback(async () => {
    for (const e of ((await journal.pending()) as Entry[]).sort((a, b) => a.seq - b.seq)) {
      latestSeq.current[e.position] = Math.max(latestSeq.current[e.position] ?? 0, e.seq);
      await send(e);
    }
  }, [journal, send]);

  // Restore unsent answers from the journal (they are newer than the server's copy).
  useEffect(() => {
    void journal.pending().then((pending) => {
      if (!pending.length) return;
      setAnswers((a) => {
        const next = { ...a };
        for (const e of pending as Entry[])
          next[e.position] = { chosen: e.chosen, text: e.text ?? next[e.position]?.text ?? "", flagged: e.flagged, state: "unsaved" };
        return next;
      });
      void flush();
    });
  }, [journal, flush]);

  async function record(position: number, chosen: number[], flagged: boolean, text?: string) {
    const item = paper.items.find((i) => i.position === position)!;
    // An essay always travels with its latest text, so a flag change cannot lose a draft.
    const essayText = item.type === "essay" ? (text ?? answers[position]!.text) : undefined;
    const e: Entry = { attemptId, position, chosen, flagged, seq: nextSeq(), ...(essayText !== undefined ? { text: essayText } : {}) };
    latestSeq.current[position] = e.seq;
    setAnswers((a) => ({ ...a, [position]: { chosen, text: essayText ?? a[position]!.text, flagged, state: "saving" } }));
    await journal.put(e);
    await send(e);
  }

  /** A choice clicked or typed: one option, or one more or fewer on a multiple-answer item. */
  async function choose(position: number, option: number, type: PaperItem["type"]) {
    if (closed || isBlocked.current()) return;
    const prev = answers[position]!;
    const chosen =
      type === "multiple"
        ? prev.chosen.includes(option)
          ? prev.chosen.filter((c) => c !== option)
          : [...prev.chosen, option].sort()
        : [option];
    await record(position, chosen, prev.flagged);
  }

  /** Typing in an essay: shown at once, saved (journal, then server) when typing pauses or the box is left. */
  function type(position: number, text: string) {
    if (closed || isBlocked.current()) return;
    setAnswers((a) => ({ ...a, [position]: { ...a[position]!, text, state: "editing" } }));
    window.clearTimeout(essayTimers.current[position]);
    essayTimers.current[position] = window.setTimeout(() => void saveEssay(position, text), ESSAY_SAVE_DELAY_MS);
  }

  async function saveEssay(position: number, text: string) {
    window.clearTimeout(essayTimers.current[position]);
    delete essayTimers.current[position];
    await record(position, [], answers[position]!.flagged, text);
  }

  /** The box is left: a draft still waiting for its typing pause is saved now. */
  function leaveEssay(position: number) {
    if (essayTimers.current[position] !== undefined) void saveEssay(position, answers[position]!.text);
  }

  /** Saves an essay draft still waiting for its typing pause (before moving or submitting). */
  async function flushEssays() {
    for (const [pos, timer] of Object.entries(essayTimers.current)) {
      window.clearTimeout(timer);
      const position = Number(pos);
      delete essayTimers.current[position];
      await record(position, [], answers[position]!.flagged, answers[position]!.text);
    }
  }

  return { answers, itemError, closed, deviceRefused, refuseDevice, record, choose, type, leaveEssay, flush, flushEssays };
}
