import type { Socket } from 'node:net';

// Past this many bytes waiting to go out, reading stops until the socket drains: a peer that does not read cannot grow memory.
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

/**
 * FrameOut batches a connection's frames into few socket writes: what is
 * queued within one turn of the event loop (every chunk read in it, every
 * handler that answered in it, every WINDOW_UPDATE that freed DATA) goes out
 * in one corked write (writev) once that turn's I/O is done (setImmediate),
 * as node:http2 batches its own. While the socket holds more than 16 MiB
 * unsent it stops reading, until it drains.
 */
export class FrameOut {
  #queue: Buffer[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #paused = false;

  constructor(readonly socket: Socket) {
    // Only a socket this paused is resumed: resume() on a flowing socket still schedules a read.
    socket.on('drain', () => {
      if (!this.#paused) return;
      this.#paused = false;
      socket.resume();
    });
  }

  /** push queues frames for the next write. */
  push(buffers: readonly Buffer[]): void {
    for (const b of buffers) this.#queue.push(b);
    this.#scheduled ??= setImmediate(this.flush);
  }

  /** flush writes what is queued now, in one corked write. */
  readonly flush = (): void => {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
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
    if (socket.writableLength > MAX_UNSENT_BYTES) {
      this.#paused = true;
      socket.pause();
    }
  };
}
