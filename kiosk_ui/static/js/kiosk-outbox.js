// Codes typed at the kiosk while the server is unreachable: kept in the browser with the
// event id made when typed, and sent in order once the link is back. The server applies an
// event id at most once, so a resend after a lost answer is harmless.
import { ApiError } from "./common.js";

// Answers that mean "this scan can never be taken": drop it rather than retry forever.
const HOPELESS = new Set([400, 404, 413, 422]);

export class Outbox {
  /** A per-station list in localStorage; send(body) posts one scan and resolves on success. */
  constructor(station, send, onChange = () => {}) {
    this.key = `floorline.kiosk.${station}.outbox`;
    this.send = send;
    this.onChange = onChange;
    this.busy = false;
  }

  items() {
    try { return JSON.parse(localStorage.getItem(this.key) || "[]"); } catch { return []; }
  }

  get size() { return this.items().length; }

  keep(body) {
    localStorage.setItem(this.key, JSON.stringify([...this.items(), body]));
    this.onChange(this.size);
  }

  drop(eventId) {
    localStorage.setItem(this.key, JSON.stringify(this.items().filter((b) => b.event_id !== eventId)));
    this.onChange(this.size);
  }

  /** Send what waits, oldest first; stop at the first scan the link cannot carry yet. */
  async flush() {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const body of this.items()) {
        try {
          await this.send(body);
        } catch (err) {
          if (!(err instanceof ApiError && HOPELESS.has(err.status))) return;
        }
        this.drop(body.event_id);
      }
    } finally { this.busy = false; }
  }
}

/** Whether a failed call means the server was not reached (keep the scan) or it answered. */
export function unreachable(err) {
  return !(err instanceof ApiError) || err.status >= 502;
}
