import { inflateSync } from 'node:zlib';

/** One file stored in a Qt resource bundle (`.rcc`). */
export interface QtResource {
  /** Its path inside the bundle, without the leading slash. */
  name: string;
  bytes: Buffer;
}

const DIRECTORY = 0x02;
const ZLIB = 0x01;
const ZSTD = 0x04;

/**
 * The files of a binary Qt resource bundle (the `rcc` format, versions 1 to 3), as GCompris ships
 * its pictures. Layout: a `qres` header with the offsets of the tree, the data and the names; tree
 * entries of 14 bytes (22 from version 2, with a modification time); names as UTF-16 after a length
 * and a hash; data as a 4-byte length, zlib-compressed after a 4-byte size when the entry says so.
 * Entries compressed with zstd (Qt 6) are skipped: Node's zlib does not read them.
 */
export function readQtResources(bundle: Buffer): QtResource[] {
  if (bundle.length < 20 || bundle.toString('latin1', 0, 4) !== 'qres') throw new Error('not a Qt resource bundle');
  const version = bundle.readUInt32BE(4);
  if (version < 1 || version > 3) throw new Error(`Qt resource bundle version ${version} is not supported`);
  const tree = bundle.readUInt32BE(8);
  const data = bundle.readUInt32BE(12);
  const names = bundle.readUInt32BE(16);
  const entrySize = version >= 2 ? 22 : 14;
  const nameAt = (offset: number): string => {
    const length = bundle.readUInt16BE(names + offset);
    const start = names + offset + 6;
    return Buffer.from(bundle.subarray(start, start + 2 * length))
      .swap16()
      .toString('utf16le');
  };
  const out: QtResource[] = [];
  const walk = (index: number, prefix: string, depth: number): void => {
    if (depth > 64) throw new Error('Qt resource bundle nests too deep');
    const entry = tree + index * entrySize;
    const flags = bundle.readUInt16BE(entry + 4);
    const name = index === 0 ? '' : nameAt(bundle.readUInt32BE(entry));
    if (flags & DIRECTORY) {
      const count = bundle.readUInt32BE(entry + 6);
      const first = bundle.readUInt32BE(entry + 10);
      for (let child = first; child < first + count; child++) walk(child, index === 0 ? '' : `${prefix}${name}/`, depth + 1);
      return;
    }
    if (flags & ZSTD) return;
    const at = data + bundle.readUInt32BE(entry + 10);
    const stored = bundle.subarray(at + 4, at + 4 + bundle.readUInt32BE(at));
    out.push({ name: prefix + name, bytes: flags & ZLIB ? inflateSync(stored.subarray(4)) : Buffer.from(stored) });
  };
  walk(0, '', 0);
  return out;
}
