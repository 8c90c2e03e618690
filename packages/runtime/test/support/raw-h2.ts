import * as net from 'node:net';

/** Frame is one HTTP/2 frame as read off the wire. */
export interface Frame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

export const T = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
export const END_STREAM = 0x1;
export const END_HEADERS = 0x4;
export const PADDED = 0x8;
export const PRIORITY = 0x20;

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** frameBytes writes one frame: 9 header bytes and the payload. */
export function frameBytes(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

export const u32 = (...values: number[]): Buffer => Buffer.concat(values.map((v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; }));
export const setting = (id: number, value: number): Buffer => Buffer.concat([Buffer.from([id >> 8, id & 255]), u32(value)]);

/** literalHeaders writes fields as HPACK literals without indexing, new names, raw strings (lengths under 127 bytes, or longer ones). */
export function literalHeaders(fields: readonly (readonly [string, string])[]): Buffer {
  const int7 = (n: number): number[] => {
    if (n < 127) return [n];
    const out = [127];
    let rest = n - 127;
    while (rest >= 128) { out.push((rest % 128) | 128); rest = Math.floor(rest / 128); }
    out.push(rest);
    return out;
  };
  return Buffer.concat(fields.flatMap(([name, value]) => [Buffer.from([0, ...int7(name.length)]), Buffer.from(name, 'latin1'), Buffer.from(int7(value.length)), Buffer.from(value, 'latin1')]));
}

const STATIC_NAMES: Record<number, string> = { 8: ':status', 31: 'content-type' };

/**
 * serverHeaders reads the header blocks the frames server writes: `:status 200`
 * by static index, other fields as literals without indexing whose name is
 * new or a static index (raw strings only). Anything else throws.
 */
export function serverHeaders(block: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  const int = (bits: number): number => {
    const mask = (1 << bits) - 1;
    let v = (block[pos++] as number) & mask;
    if (v < mask) return v;
    for (let shift = 0; ; shift += 7) { const b = block[pos++] as number; v += (b & 127) * 2 ** shift; if ((b & 128) === 0) return v; }
  };
  const str = (): string => {
    if (((block[pos] as number) & 0x80) !== 0) throw new Error('a Huffman string: not what the server writes');
    const n = int(7);
    pos += n;
    return block.subarray(pos - n, pos).toString('latin1');
  };
  while (pos < block.length) {
    if (block[pos] === 0x88) { out[':status'] = '200'; pos++; continue; }
    if (((block[pos] as number) & 0xf0) !== 0) throw new Error(`unexpected representation 0x${(block[pos] as number).toString(16)}`);
    const index = int(4);
    const name = index === 0 ? str() : STATIC_NAMES[index];
    if (name === undefined) throw new Error(`unexpected static index ${index}`);
    out[name] = str();
  }
  return out;
}

/** Answer is what came back on one stream. */
export interface StreamAnswer {
  headers: Record<string, string>[];
  data: Buffer;
  rst?: number;
}

/**
 * RawH2 is a client that writes HTTP/2 frames by hand on a net socket, so a
 * test controls every byte the server sees, and reads every frame it sends.
 */
export class RawH2 {
  readonly frames: Frame[] = [];
  readonly closed: Promise<void>;
  #buffered = Buffer.alloc(0);
  #waiters: (() => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffered = Buffer.concat([this.#buffered, chunk]);
      while (this.#buffered.length >= 9) {
        const length = this.#buffered.readUIntBE(0, 3);
        if (this.#buffered.length < 9 + length) break;
        this.frames.push({ type: this.#buffered[3] as number, flags: this.#buffered[4] as number, streamId: this.#buffered.readUInt32BE(5) & 0x7fffffff, payload: this.#buffered.subarray(9, 9 + length) });
        this.#buffered = this.#buffered.subarray(9 + length);
      }
      this.#wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => { this.#wake(); resolve(); }));
  }

  /** connect opens a connection and sends the preface and a SETTINGS frame of `settings`; with null, nothing. */
  static async connect(port: number, settings: Buffer | null = Buffer.alloc(0)): Promise<RawH2> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawH2(socket);
    if (settings !== null) client.write(PREFACE, frameBytes(T.SETTINGS, 0, 0, settings));
    return client;
  }

  write(...bytes: Buffer[]): void {
    this.socket.write(Buffer.concat(bytes));
  }

  send(type: number, flags: number, streamId: number, payload?: Buffer): void {
    this.write(frameBytes(type, flags, streamId, payload));
  }

  /** request sends a gRPC request's HEADERS and, unless `body` is undefined, its DATA in frames of 16384 bytes, ending the stream. */
  request(streamId: number, path: string, body?: Buffer, extra: [string, string][] = []): void {
    const block = literalHeaders([[':method', 'POST'], [':scheme', 'http'], [':path', path], [':authority', 'localhost'], ['content-type', 'application/grpc'], ['te', 'trailers'], ...extra]);
    this.send(T.HEADERS, END_HEADERS, streamId, block);
    if (body === undefined) return;
    for (let at = 0; at < body.length; at += 16_384) this.send(T.DATA, at + 16_384 >= body.length ? END_STREAM : 0, streamId, body.subarray(at, at + 16_384));
  }

  /** next waits for the first frame (from `from` on) that `match` accepts, or undefined when the connection closes or `ms` pass. */
  async next(match: (f: Frame) => boolean, ms = 3000, from = 0): Promise<Frame | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found !== undefined) return found;
      if (this.socket.destroyed || Date.now() > deadline) return undefined;
      await new Promise<void>((resolve) => { this.#waiters.push(resolve); setTimeout(resolve, 50); });
    }
  }

  /** goaway waits for GOAWAY and returns its error code. */
  async goaway(): Promise<number | undefined> {
    return (await this.next((f) => f.type === T.GOAWAY))?.payload.readUInt32BE(4);
  }

  /** answer waits for a stream's end (END_STREAM or RST_STREAM) and returns its header blocks, data and reset code. */
  async answer(streamId: number, ms = 3000): Promise<StreamAnswer> {
    await this.next((f) => f.streamId === streamId && (f.type === T.RST_STREAM || ((f.flags & END_STREAM) !== 0 && (f.type === T.HEADERS || f.type === T.DATA))), ms);
    const mine = this.frames.filter((f) => f.streamId === streamId);
    const rst = mine.find((f) => f.type === T.RST_STREAM);
    return {
      headers: mine.filter((f) => f.type === T.HEADERS).map((f) => serverHeaders(f.payload)),
      data: Buffer.concat(mine.filter((f) => f.type === T.DATA).map((f) => f.payload)),
      ...(rst === undefined ? {} : { rst: rst.payload.readUInt32BE(0) }),
    };
  }

  close(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
