// The part of pako 1.x (isomorphic-git's inflater) that the pack meter uses.
declare module 'pako' {
  export class Inflate {
    constructor(options?: { chunkSize?: number });
    push(data: Uint8Array, mode?: boolean | number): boolean;
    onData(chunk: Uint8Array): void;
    ended: boolean;
    err: number;
    msg: string;
    strm: { avail_in: number };
  }
  const pako: { Inflate: typeof Inflate };
  export default pako;
}
