/**
 * ClosedStreams remembers how the last `capacity` streams of a connection
 * closed, so that a late frame on one is told apart (RFC 9113 §5.1): a stream
 * this server reset may still get frames the peer sent before it saw
 * RST_STREAM, which are ignored; a stream closed otherwise gets none.
 */
export class ClosedStreams {
  readonly #ended = new Map<number, boolean>(); // stream id → whether this server reset it; oldest first

  constructor(readonly capacity = 256) {}

  /** add records that `streamId` closed, reset by this server or not. */
  add(streamId: number, resetHere: boolean): void {
    this.#ended.set(streamId, resetHere);
    if (this.#ended.size > this.capacity) this.#ended.delete(this.#ended.keys().next().value as number);
  }

  /** wasReset is true when this server reset `streamId` (among the streams it remembers). */
  wasReset(streamId: number): boolean {
    return this.#ended.get(streamId) === true;
  }
}

/** ControlLimits bound the frames a peer sends that need an answer (SETTINGS, PING). */
export interface ControlLimits {
  /** burst is how many may come at once. */
  readonly burst: number;
  /** perSecond is how many more each second allows, up to burst. */
  readonly perSecond: number;
  /** perRequest is how many more each request (a HEADERS block) allows, up to burst: clients that ping as they send calls are served. */
  readonly perRequest: number;
}

/** DEFAULT_CONTROL_LIMITS allow bursts far past what gRPC clients send (keepalive, BDP pings), and stop a flood in well under a second. */
export const DEFAULT_CONTROL_LIMITS: ControlLimits = { burst: 1000, perSecond: 100, perRequest: 2 };

/**
 * ControlBudget counts the SETTINGS and PING frames a connection must answer
 * (a token bucket refilled by time and by requests): a peer past it floods
 * the server with work that serves no call, and its connection is ended
 * with ENHANCE_YOUR_CALM, as servers do against such floods.
 */
export class ControlBudget {
  #tokens: number;
  #at = performance.now();

  constructor(readonly limits: ControlLimits = DEFAULT_CONTROL_LIMITS) {
    this.#tokens = limits.burst;
  }

  /** take spends one token for a frame that needs an answer; false when none is left. */
  take(): boolean {
    if (this.#tokens < 1) {
      const now = performance.now();
      this.#tokens = Math.min(this.limits.burst, this.#tokens + ((now - this.#at) / 1000) * this.limits.perSecond);
      this.#at = now;
      if (this.#tokens < 1) return false;
    }
    this.#tokens -= 1;
    return true;
  }

  /** request adds what one request allows. */
  request(): void {
    this.#tokens = Math.min(this.limits.burst, this.#tokens + this.limits.perRequest);
  }
}

/** KeepaliveOptions set when an idle connection is checked with PING. */
export interface KeepaliveOptions {
  /** intervalMs is how long a connection may go without receiving a frame before it is sent a PING. */
  readonly intervalMs: number;
  /** timeoutMs is how long the PING's ACK may take before the connection is closed. */
  readonly timeoutMs: number;
}

/**
 * DEFAULT_KEEPALIVE pings a connection silent for 5 minutes and closes it when
 * the ACK takes past 20 s: Crossplane keeps one connection per function for
 * its whole life, and a peer gone without a FIN (a node lost, a partition)
 * would otherwise hold its connection and calls forever.
 */
export const DEFAULT_KEEPALIVE: KeepaliveOptions = { intervalMs: 5 * 60_000, timeoutMs: 20_000 };

/**
 * Keepalive watches one connection: heard() on every received chunk; after
 * intervalMs without one it calls `ping` with an 8-byte payload, and `dead`
 * when nothing at all (not even the ACK) comes within timeoutMs. Its timers
 * never hold the process open.
 */
export class Keepalive {
  #heard = false;
  #waiting = false;
  #sent = 0;
  #timer: NodeJS.Timeout;

  constructor(readonly options: KeepaliveOptions, readonly ping: (payload: Buffer) => void, readonly dead: () => void) {
    this.#timer = this.#arm(options.intervalMs);
  }

  /** heard says that a chunk came from the peer: it is alive. */
  heard(): void {
    this.#heard = true;
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #tick(): void {
    const heard = this.#heard;
    this.#heard = false;
    if (this.#waiting) {
      this.#waiting = false;
      if (!heard) return this.dead();
      this.#timer = this.#arm(this.options.intervalMs);
      return;
    }
    if (heard) return void this.#timer.refresh();
    const payload = Buffer.alloc(8);
    payload.writeUInt32BE(++this.#sent, 4);
    this.#waiting = true;
    this.ping(payload);
    this.#timer = this.#arm(this.options.timeoutMs);
  }

  #arm(ms: number): NodeJS.Timeout {
    return setTimeout(() => this.#tick(), ms).unref();
  }
}
