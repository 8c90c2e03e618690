import type { Socket } from 'node:net';
import { HpackError } from './h2-hpack.js';
import { HeaderBlocks, MAX_HEADER_LIST_BYTES, type HeaderBlock } from './h2-frames-headers.js';
import { HuffmanError } from './h2-huffman.js';
import { ConnectionError, DEFAULT_FRAME_SIZE, DEFAULT_WINDOW, Flag, frame, FrameReader, FrameType, goawayFrame, H2Error, MAX_WINDOW, rstStreamFrame, Setting, settingsFrame, windowUpdateFrame } from './h2-frames.js';
import { FrameCall, type CallHost, type CallRoutes } from './h2-frames-call.js';
import type { OutboundStream } from './h2-frames-stream.js';
import { applySettings, frameRules, unpad } from './h2-frames-rules.js';
import { FrameOut } from './h2-frames-out.js';
import { ClosedStreams, ControlBudget, DEFAULT_KEEPALIVE, Keepalive, type ControlLimits, type KeepaliveOptions } from './h2-frames-guard.js';

/** ConnectionOptions bound what one connection holds. */
export interface ConnectionOptions extends CallRoutes {
  /** maxConcurrentStreams is SETTINGS_MAX_CONCURRENT_STREAMS: calls in flight, including reset ones whose handler still runs. */
  readonly maxConcurrentStreams: number;
  /** keepalive sets when an idle connection is pinged and when an unanswered one is closed (DEFAULT_KEEPALIVE by default). */
  readonly keepalive?: KeepaliveOptions | undefined;
  /** controlLimits bound the SETTINGS and PING frames a peer may send (DEFAULT_CONTROL_LIMITS by default). */
  readonly controlLimits?: ControlLimits | undefined;
}

// A window wide enough that a 100 KB request arrives without waiting for a WINDOW_UPDATE (as the lean server's).
const WINDOW_BYTES = 4 * 1024 * 1024;

/**
 * FrameConnection serves gRPC calls over one HTTP/2 connection (RFC 9113),
 * framing it itself on `socket`: preface and SETTINGS, PING, flow control both
 * ways, HEADERS and CONTINUATION through HPACK, RST_STREAM and GOAWAY. A
 * protocol fault ends the connection with GOAWAY and its error code, a
 * stream's fault that stream with RST_STREAM; nothing a peer sends throws.
 */
export class FrameConnection implements CallHost {
  peerMaxFrameSize = DEFAULT_FRAME_SIZE;
  peerInitialWindow = DEFAULT_WINDOW;
  sendWindow = DEFAULT_WINDOW;
  readonly calls = new Map<number, FrameCall>();
  /** lastStreamId is the highest stream the peer opened. */
  lastStreamId = 0;
  #recvWindow = WINDOW_BYTES;
  #recvUnacked = 0;
  #settingsSeen = false;
  readonly #headerBlocks = new HeaderBlocks();
  readonly #reader: FrameReader;
  readonly #blocked = new Set<OutboundStream>();
  #goingAway = false;
  #dead = false;
  readonly #out: FrameOut;
  readonly #closedStreams = new ClosedStreams();
  readonly #budget: ControlBudget;
  readonly #keepalive: Keepalive;

  constructor(readonly socket: Socket, readonly options: ConnectionOptions, readonly onClose: () => void) {
    this.#out = new FrameOut(socket);
    this.#budget = new ControlBudget(options.controlLimits);
    this.#keepalive = new Keepalive(options.keepalive ?? DEFAULT_KEEPALIVE, (payload) => this.write([frame(FrameType.PING, 0, 0, payload)]), () => this.#lost());
    this.#reader = new FrameReader(DEFAULT_FRAME_SIZE, (type, flags, streamId, payload) => this.#frame(type, flags, streamId, payload));
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', () => undefined); // a connection reset by its peer concerns only that connection
    socket.once('close', () => this.#closed());
    this.write([
      settingsFrame([[Setting.MAX_CONCURRENT_STREAMS, options.maxConcurrentStreams], [Setting.INITIAL_WINDOW_SIZE, WINDOW_BYTES], [Setting.MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_BYTES], [Setting.ENABLE_PUSH, 0]]),
      windowUpdateFrame(0, WINDOW_BYTES - DEFAULT_WINDOW),
    ]);
  }

  /** write queues `buffers` for the socket (FrameOut: one write per turn of the event loop, reading paused while the peer does not read). */
  write(buffers: Buffer[]): void {
    this.#out.push(buffers);
  }

  blocked(stream: OutboundStream): void {
    this.#blocked.add(stream);
  }

  ended(stream: OutboundStream): void {
    this.#blocked.delete(stream);
    this.#release(stream.id);
  }

  settled(streamId: number): void {
    this.#release(streamId);
  }

  grant(streamId: number, bytes: number): void {
    this.write([windowUpdateFrame(streamId, bytes)]);
  }

  /** goAway sends GOAWAY NO_ERROR, takes no new calls, and ends the connection once its calls are done (watches end at once). */
  goAway(): void {
    if (this.#goingAway || this.#dead) return;
    this.#goingAway = true;
    this.write([goawayFrame(this.lastStreamId, H2Error.NO_ERROR)]);
    for (const call of [...this.calls.values()]) call.shutdown();
    this.#endIfIdle();
  }

  /** destroy cuts the connection now. */
  destroy(): void {
    this.socket.destroy();
  }

  #receive(chunk: Buffer): void {
    if (this.#dead) return;
    this.#keepalive.heard();
    try {
      this.#reader.push(chunk);
    } catch (err) {
      if (err instanceof ConnectionError) return this.#fault(err.code, err.message);
      if (err instanceof HpackError || err instanceof HuffmanError) return this.#fault(H2Error.COMPRESSION_ERROR, err.message);
      this.#fault(H2Error.INTERNAL_ERROR, err instanceof Error ? err.message : String(err));
    }
  }

  /** fault ends the connection for a protocol error: GOAWAY with `code`, then close. */
  #fault(code: number, reason: string): void {
    if (this.#dead) return;
    this.#out.push([goawayFrame(this.lastStreamId, code, reason)]);
    this.#out.flush();
    this.#dead = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  #frame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (this.#dead) return;
    if (!this.#settingsSeen) {
      if (type !== FrameType.SETTINGS || (flags & Flag.ACK) !== 0) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'cannot start the connection: its first frame is not SETTINGS');
      this.#settingsSeen = true;
    }
    const open = this.#headerBlocks.openStream;
    if (open !== undefined && (type !== FrameType.CONTINUATION || streamId !== open)) {
      throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'cannot read a header block: another frame came before its end');
    }
    frameRules(type, flags, streamId, payload);
    switch (type) {
      case FrameType.DATA: return this.#data(flags, streamId, payload);
      case FrameType.HEADERS: return this.#headers(flags, streamId, payload);
      case FrameType.CONTINUATION: return this.#headerBlock(this.#headerBlocks.continuation(flags, streamId, payload));
      case FrameType.RST_STREAM: return this.#rstStream(streamId);
      case FrameType.SETTINGS: return this.#settings(flags, payload);
      case FrameType.PING: return this.#ping(flags, payload);
      case FrameType.GOAWAY: return this.goAway();
      case FrameType.WINDOW_UPDATE: return this.#windowUpdate(streamId, payload.readUInt32BE(0) & 0x7fffffff);
      case FrameType.PRIORITY: return this.#priority(streamId, payload);
      default: return; // types this server does not know are ignored
    }
  }

  #data(flags: number, streamId: number, payload: Buffer): void {
    if (streamId > this.lastStreamId) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot take DATA on stream ${streamId}: it was never opened`);
    this.#recvWindow -= payload.length;
    if (this.#recvWindow < 0) throw new ConnectionError(H2Error.FLOW_CONTROL_ERROR, 'cannot take DATA: past the connection window');
    // The connection's window is granted back at once: what a stream keeps is bounded by its own window and maxReceiveBytes.
    this.#recvUnacked += payload.length;
    if (this.#recvUnacked >= WINDOW_BYTES / 2) {
      this.grant(0, this.#recvUnacked);
      this.#recvWindow += this.#recvUnacked;
      this.#recvUnacked = 0;
    }
    const call = this.calls.get(streamId);
    if (call === undefined || call.out.ended) return; // a stream already closed: its late DATA is dropped
    if (!call.out.remoteOpen) return call.out.reset(H2Error.STREAM_CLOSED);
    call.data(unpad(flags, payload), payload.length, (flags & Flag.END_STREAM) !== 0);
  }

  #headers(flags: number, streamId: number, payload: Buffer): void {
    const opens = !this.calls.has(streamId) && streamId > this.lastStreamId;
    if (streamId % 2 === 0) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot open stream ${streamId}: a client opens odd streams`);
    if (opens) this.lastStreamId = streamId;
    this.#headerBlock(this.#headerBlocks.headers(flags, streamId, payload, opens));
  }

  /** headerBlock opens, ends or refuses the stream of a whole header block. */
  #headerBlock(block: HeaderBlock | undefined): void {
    if (block === undefined) return;
    const { streamId, opens, endStream, list } = block;
    const existing = this.calls.get(streamId);
    if (existing !== undefined) {
      if (existing.out.ended) return;
      if (!existing.out.remoteOpen) return existing.out.reset(H2Error.STREAM_CLOSED);
      if (!endStream) return existing.out.reset(H2Error.PROTOCOL_ERROR); // trailers must end the request
      return existing.end();
    }
    if (!opens) {
      // A stream this server reset may still get what the peer sent before it knew; any other closed stream gets nothing (RFC 9113 §5.1, §5.1.1).
      if (this.#closedStreams.wasReset(streamId)) return;
      throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot take HEADERS on stream ${streamId}: it is closed, and a new stream must be numbered past ${this.lastStreamId}`);
    }
    this.#budget.request();
    if (this.#goingAway || this.calls.size >= this.options.maxConcurrentStreams) {
      this.#closedStreams.add(streamId, true);
      return this.write([rstStreamFrame(streamId, H2Error.REFUSED_STREAM)]);
    }
    const call = new FrameCall(streamId, this, this.options, this.peerInitialWindow, WINDOW_BYTES);
    this.calls.set(streamId, call);
    if (list.tooLarge) return call.out.answerHttp(431);
    call.start(list.fields, endStream);
  }

  #rstStream(streamId: number): void {
    if (streamId > this.lastStreamId) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot reset stream ${streamId}: it was never opened`);
    this.calls.get(streamId)?.cancel();
  }

  /** ping answers a PING with its payload, within the control budget. */
  #ping(flags: number, payload: Buffer): void {
    if ((flags & Flag.ACK) !== 0) return;
    this.#spend('PING');
    this.write([frame(FrameType.PING, Flag.ACK, 0, payload)]);
  }

  /** spend takes one frame needing an answer from the control budget, ending the connection past it. */
  #spend(what: string): void {
    if (!this.#budget.take()) throw new ConnectionError(H2Error.ENHANCE_YOUR_CALM, `cannot answer ${what}: the client sends more frames needing an answer than calls`);
  }

  /** priority is ignored (this server does not prioritize), but one of the wrong length is a stream error (RFC 9113 §6.3). */
  #priority(streamId: number, payload: Buffer): void {
    if (payload.length === 5) return;
    const call = this.calls.get(streamId);
    if (call === undefined) return this.write([rstStreamFrame(streamId, H2Error.FRAME_SIZE_ERROR)]);
    call.out.reset(H2Error.FRAME_SIZE_ERROR);
    call.cancel();
  }

  #settings(flags: number, payload: Buffer): void {
    if ((flags & Flag.ACK) !== 0) return;
    this.#spend('SETTINGS');
    const change = applySettings(payload, this.peerInitialWindow);
    if (change.maxFrameSize !== undefined) this.peerMaxFrameSize = change.maxFrameSize;
    const delta = change.initialWindow - this.peerInitialWindow;
    this.peerInitialWindow = change.initialWindow;
    for (const call of delta === 0 ? [] : this.calls.values()) {
      call.out.sendWindow += delta;
      if (call.out.sendWindow > MAX_WINDOW) throw new ConnectionError(H2Error.FLOW_CONTROL_ERROR, 'cannot take SETTINGS_INITIAL_WINDOW_SIZE: a stream window passes 2^31-1');
    }
    this.write([frame(FrameType.SETTINGS, Flag.ACK, 0)]);
    if (delta > 0) this.#flush();
  }

  #windowUpdate(streamId: number, increment: number): void {
    if (streamId === 0) {
      if (increment === 0) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'cannot take a WINDOW_UPDATE of 0 on the connection');
      this.sendWindow += increment;
      if (this.sendWindow > MAX_WINDOW) throw new ConnectionError(H2Error.FLOW_CONTROL_ERROR, 'cannot take a WINDOW_UPDATE: the connection window passes 2^31-1');
      return this.#flush();
    }
    if (streamId > this.lastStreamId) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot take a WINDOW_UPDATE on stream ${streamId}: it was never opened`);
    const call = this.calls.get(streamId);
    if (call === undefined || call.out.ended) return;
    if (increment === 0) return call.out.reset(H2Error.PROTOCOL_ERROR);
    call.out.sendWindow += increment;
    if (call.out.sendWindow > MAX_WINDOW) return call.out.reset(H2Error.FLOW_CONTROL_ERROR);
    call.out.flush();
  }

  /** flush sends what the windows now allow of every stream waiting for window, in the order they blocked. */
  #flush(): void {
    const waiting = [...this.#blocked];
    this.#blocked.clear();
    for (const stream of waiting) {
      if (this.sendWindow <= 0) {
        this.#blocked.add(stream);
        continue;
      }
      stream.flush();
    }
  }

  /** release forgets a call once it sent its last frame and no handler of it runs. */
  #release(streamId: number): void {
    const call = this.calls.get(streamId);
    if (call === undefined || !call.out.ended || call.running) return;
    call.dispose();
    this.calls.delete(streamId);
    this.#closedStreams.add(streamId, call.out.resetSent);
    this.#endIfIdle();
  }

  #endIfIdle(): void {
    if (this.#goingAway && this.calls.size === 0 && !this.#dead) {
      this.#dead = true;
      this.#out.flush();
      this.socket.end();
    }
  }

  /** lost closes a connection whose peer sent nothing in answer to a keepalive PING. */
  #lost(): void {
    if (this.#dead) return;
    this.#out.push([goawayFrame(this.lastStreamId, H2Error.NO_ERROR, 'keepalive PING not answered')]);
    this.#out.flush();
    this.#dead = true;
    this.socket.destroy();
  }

  #closed(): void {
    this.#dead = true;
    this.#keepalive.stop();
    for (const call of this.calls.values()) call.cancel();
    this.calls.clear();
    this.#blocked.clear();
    this.onClose();
  }
}
