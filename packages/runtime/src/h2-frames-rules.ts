import { ConnectionError, Flag, FrameType, H2Error, MAX_WINDOW, Setting } from './h2-frames.js';

const CONNECTION_ONLY = new Set<number>([FrameType.SETTINGS, FrameType.PING, FrameType.GOAWAY]);
const STREAM_ONLY = new Set<number>([FrameType.DATA, FrameType.HEADERS, FrameType.PRIORITY, FrameType.RST_STREAM, FrameType.CONTINUATION]);
const FIXED_LENGTH = new Map<number, number>([[FrameType.RST_STREAM, 4], [FrameType.PING, 8], [FrameType.WINDOW_UPDATE, 4]]);

/**
 * frameRules throws the ConnectionError RFC 9113 §6 gives for a frame on the
 * wrong stream (SETTINGS, PING, GOAWAY on a stream; DATA, HEADERS, PRIORITY,
 * RST_STREAM, CONTINUATION on stream 0) or of the wrong length, and for
 * PUSH_PROMISE, which a client never sends. A PRIORITY of the wrong length is
 * a stream error (§6.3), left to the connection.
 */
export function frameRules(type: number, flags: number, streamId: number, payload: Buffer): void {
  if (type === FrameType.PUSH_PROMISE) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'cannot take PUSH_PROMISE from a client');
  if (streamId !== 0 && CONNECTION_ONLY.has(type)) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot take frame type ${type} on stream ${streamId}: it belongs to the connection`);
  if (streamId === 0 && STREAM_ONLY.has(type)) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot take frame type ${type} on stream 0: it belongs to a stream`);
  const length = FIXED_LENGTH.get(type);
  if (length !== undefined && payload.length !== length) throw new ConnectionError(H2Error.FRAME_SIZE_ERROR, `cannot take frame type ${type} of ${payload.length} bytes: it takes ${length}`);
  if (type === FrameType.SETTINGS && ((flags & 0x1) !== 0 ? payload.length !== 0 : payload.length % 6 !== 0)) {
    throw new ConnectionError(H2Error.FRAME_SIZE_ERROR, `cannot take SETTINGS of ${payload.length} bytes`);
  }
  if (type === FrameType.GOAWAY && payload.length < 8) throw new ConnectionError(H2Error.FRAME_SIZE_ERROR, 'cannot take GOAWAY of fewer than 8 bytes');
}

/** SettingsChange is what a peer's SETTINGS sets that this server acts on. */
export interface SettingsChange {
  /** initialWindow is the peer's SETTINGS_INITIAL_WINDOW_SIZE after this frame. */
  initialWindow: number;
  maxFrameSize?: number;
}

/**
 * applySettings reads a SETTINGS payload (validated by frameRules), throwing
 * the ConnectionError RFC 9113 §6.5.2 gives for a value out of range. Table
 * size and header list size need nothing from a server that indexes nothing
 * it sends; unknown settings are ignored.
 */
export function applySettings(payload: Buffer, initialWindow: number): SettingsChange {
  const change: SettingsChange = { initialWindow };
  for (let at = 0; at < payload.length; at += 6) {
    const id = payload.readUInt16BE(at);
    const value = payload.readUInt32BE(at + 2);
    if (id === Setting.ENABLE_PUSH && value > 1) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot take SETTINGS_ENABLE_PUSH ${value}`);
    if (id === Setting.INITIAL_WINDOW_SIZE) {
      if (value > MAX_WINDOW) throw new ConnectionError(H2Error.FLOW_CONTROL_ERROR, `cannot take SETTINGS_INITIAL_WINDOW_SIZE ${value}: past 2^31-1`);
      change.initialWindow = value;
    }
    if (id === Setting.MAX_FRAME_SIZE) {
      if (value < 16_384 || value > 16_777_215) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `cannot take SETTINGS_MAX_FRAME_SIZE ${value}`);
      change.maxFrameSize = value;
    }
  }
  return change;
}

/** unpad is a DATA or HEADERS payload without its pad length byte and padding when PADDED is set (RFC 9113 §6.1). */
export function unpad(flags: number, payload: Buffer): Buffer {
  if ((flags & Flag.PADDED) === 0) return payload;
  const pad = payload.length === 0 ? 0 : (payload[0] as number);
  if (payload.length === 0 || pad >= payload.length) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'cannot read a padded frame: its padding is as long as the frame');
  return payload.subarray(1, payload.length - pad);
}

/** headerFragment is a HEADERS payload's header block fragment: without padding, and without the priority fields PRIORITY adds (ignored). */
export function headerFragment(flags: number, payload: Buffer): Buffer {
  const fragment = unpad(flags, payload);
  if ((flags & Flag.PRIORITY) === 0) return fragment;
  if (fragment.length < 5) throw new ConnectionError(H2Error.FRAME_SIZE_ERROR, 'cannot read HEADERS: its priority is cut short');
  return fragment.subarray(5);
}
