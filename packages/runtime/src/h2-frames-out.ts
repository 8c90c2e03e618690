import type { Socket } from 'node:net';

// Past this many bytes waiting to go out, reading stops until the socket drains: a peer that does not read cannot grow memory.
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

/**
 * FrameOut batches a connection's frames into few socket writes: what is
 * queued while a received chunk is read (between hold() and release()), or
 * within one microtask, goes out in one corked write (writev): DATA freed by
 * several WINDOW_UPDATEs, the grants and ACKs a chunk calls for. While the
 * socket holds more than 16 MiB unsent it stops reading, until it drains.
 */
export class FrameOut {
  #queue: Buffer[] = [];
  #held = false;
  #scheduled = false;

  constructor(readonly socket: Socket) {
    socket.on('drain', () => socket.resume());
  }

  /** push queues frames for the next write. */
  push(buffers: readonly Buffer[]): void {
    for (const b of buffers) this.#queue.push(b);
    if (this.#held || this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(this.flush);
  }

  /** hold keeps what is pushed queued until release(). */
  hold(): void {
    this.#held = true;
  }

  /** release writes what was queued while held. */
  release(): void {
    this.#held = false;
    if (!this.#scheduled) this.flush();
  }

  /** flush writes what is queued now, in one corked write. */
  readonly flush = (): void => {
    this.#scheduled = false;
    const queue = this.#queue;
    if (queue.length === 0) return;
    this.#queue = [];
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return;
    if (queue.length === 1) socket.write(queue[0] as Buffer);
    else {
      socket.cork();
      for (const b of queue) socket.write(b);
      socket.uncork();
    }
    if (socket.writableLength > MAX_UNSENT_BYTES) socket.pause();
  };
}
