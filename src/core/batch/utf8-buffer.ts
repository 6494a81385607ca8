/**
 * @module core/batch/utf8-buffer
 * A growing UTF-8 buffer, one per thread and reused by every chunk (a chunk is checked synchronously,
 * start to end): a chunk's output costs one allocation of its own size, not one per row.
 */
export class Utf8Buffer {
  private bytes = new Uint8Array(1 << 20)
  private length = 0
  private readonly encoder = new TextEncoder()

  clear(): void {
    this.length = 0
  }

  write(text: string): void {
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    const room = text.length * 3
    if (this.bytes.length - this.length < room) {
      const bigger = new Uint8Array(Math.max(2 * this.bytes.length, this.length + room))
      bigger.set(this.bytes.subarray(0, this.length))
      this.bytes = bigger
    }
    this.length += this.encoder.encodeInto(text, this.bytes.subarray(this.length)).written
  }

  /** A copy of what was written, in a buffer of its own (a worker transfers it to another thread). */
  take(): Uint8Array {
    return this.bytes.slice(0, this.length)
  }
}
