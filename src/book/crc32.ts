// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of ASCII text, as venues use for book checksums.
// Node 20's zlib has no crc32(); a 256-entry table computed once is all it takes.

const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c >>> 0;
}

/** CRC-32 of a string of single-byte characters, continuing from `crc` (0 to start). */
export function crc32Ascii(text: string, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < text.length; i++) c = TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
