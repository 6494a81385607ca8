/**
 * @module storage/compress
 * gzip through the web `CompressionStream` (Node 18+ and Workers alike). A batch row's check result is
 * about 5 KB of JSON, highly repetitive across rows: a chunk of 500 gzips to well under 1 KB a row.
 */

export async function gzipText(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

export async function gunzipText(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))
  return new Response(stream).text()
}
