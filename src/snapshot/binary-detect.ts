/**
 * One rule for "is this blob text?", shared by the GitHub and the local git
 * snapshot so that both modes classify the same blob the same way and the
 * manifests they produce agree.
 *
 * The rule is git's own heuristic (a NUL byte in the first 8000 bytes means
 * binary, see `buffer_is_binary` in git's xdiff-interface.c), plus strict
 * UTF-8: the context handed to a model is text, and a lossy decode would
 * silently change what the model sees compared to what is pinned.
 */

/** Bytes git inspects when it decides whether a blob is binary. */
export const BINARY_SNIFF_BYTES = 8000;

/** Blobs above this size are reported as text null ("too large") in both modes. */
export const DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** True when the first 8000 bytes contain a NUL byte. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  // indexOf on a subarray is a native scan, far faster than a JS loop.
  return bytes.subarray(0, end).indexOf(0) !== -1;
}

/**
 * Decode a blob as UTF-8 text, or return null when it is binary (NUL byte
 * in the first 8000 bytes) or not valid UTF-8. A BOM is kept, so the text
 * is exactly the blob's content.
 */
export function decodeBlobText(bytes: Uint8Array): string | null {
  if (looksBinary(bytes)) return null;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Apply the NUL rule to text that some other source (GitHub's GraphQL
 * `Blob.text`) already decoded, so it agrees with `decodeBlobText`: the
 * position that matters is the NUL's UTF-8 byte offset, not its UTF-16 index.
 */
export function textLooksBinary(text: string): boolean {
  const idx = text.indexOf("\u0000");
  if (idx === -1 || idx >= BINARY_SNIFF_BYTES) return false;
  return Buffer.byteLength(text.slice(0, idx), "utf8") < BINARY_SNIFF_BYTES;
}
