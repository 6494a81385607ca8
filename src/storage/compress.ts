/**
 * @module storage/compress
 * gzip through the web `CompressionStream` (Node 18+ and Workers alike). A batch row's check result is
 * about 5 KB of JSON, highly repetitive across rows: a chunk of 500 gzips to well under 1 KB a row.
 */

/** gzip of `text`, or of UTF-8 bytes given as such (read as they are, not copied first). */
export async function gzipText(text: string | Uint8Array): Promise<Uint8Array> {
  const source =
    typeof text === 'string'
      ? new Blob([text]).stream()
      : new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(text)
            controller.close()
          },
        })
  const stream = source.pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

export async function gunzipText(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  return new Response(gunzipped(bytes)).text()
}

/** The bytes `bytes` gzipped, undecoded. */
export async function gunzipBytes(bytes: Uint8Array | ArrayBuffer): Promise<Uint8Array> {
  return new Uint8Array(await new Response(gunzipped(bytes)).arrayBuffer())
}

function gunzipped(bytes: Uint8Array | ArrayBuffer): ReadableStream<Uint8Array> {
  return new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))
}
