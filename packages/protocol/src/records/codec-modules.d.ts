/**
 * The parts of snappyjs and lz4js this package uses: neither ships type declarations.
 */
declare module 'snappyjs' {
  const snappy: {
    /** Raw snappy: throws when the block declares more than `maxLength` bytes or is not valid snappy. */
    uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
    compress(uncompressed: Uint8Array): Uint8Array;
  };
  export default snappy;
}

declare module 'lz4js' {
  const lz4: {
    /** Decompresses an LZ4 frame into `dst`, returning the bytes the frame produced (which may exceed `dst`). */
    decompressFrame(src: Uint8Array, dst: Uint8Array): number;
    /** Compresses into a new LZ4 frame (64 KiB blocks, independent, no checksums). */
    compress(src: Uint8Array): Uint8Array;
  };
  export default lz4;
}
