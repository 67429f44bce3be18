import { deflateSync } from 'node:zlib';
import { readQtResources } from './qt-resources';

type Node = { name: string; children?: Node[]; bytes?: Buffer; compress?: boolean };

/** Writes a version-3 rcc bundle the way Qt's rcc does: breadth-first tree, names and data blobs. */
function bundle(root: Node[]): Buffer {
  const names: Buffer[] = [];
  const nameOffset = new Map<string, number>();
  let namesLength = 0;
  const nameOf = (name: string): number => {
    const known = nameOffset.get(name);
    if (known !== undefined) return known;
    const utf16 = Buffer.from(name, 'utf16le').swap16();
    const head = Buffer.alloc(6);
    head.writeUInt16BE(name.length, 0);
    names.push(head, utf16);
    nameOffset.set(name, namesLength);
    namesLength += 6 + utf16.length;
    return nameOffset.get(name) ?? 0;
  };
  const blobs: Buffer[] = [];
  let dataLength = 0;
  const dataOf = (node: Node): number => {
    const raw = node.bytes ?? Buffer.alloc(0);
    let stored = raw;
    if (node.compress) {
      const size = Buffer.alloc(4);
      size.writeUInt32BE(raw.length, 0);
      stored = Buffer.concat([size, deflateSync(raw)]);
    }
    const length = Buffer.alloc(4);
    length.writeUInt32BE(stored.length, 0);
    blobs.push(length, stored);
    const at = dataLength;
    dataLength += 4 + stored.length;
    return at;
  };
  // Breadth-first: every directory's children are consecutive entries.
  const entries: Buffer[] = [];
  const queue: { node: Node; index: number }[] = [];
  const entry = (node: Node, firstChild: number): Buffer => {
    const e = Buffer.alloc(22);
    e.writeUInt32BE(node.name ? nameOf(node.name) : 0, 0);
    if (node.children) {
      e.writeUInt16BE(0x02, 4);
      e.writeUInt32BE(node.children.length, 6);
      e.writeUInt32BE(firstChild, 10);
    } else {
      e.writeUInt16BE(node.compress ? 0x01 : 0, 4);
      e.writeUInt32BE(dataOf(node), 10);
    }
    return e;
  };
  let next = 1;
  const rootNode: Node = { name: '', children: root };
  queue.push({ node: rootNode, index: 0 });
  entries.push(Buffer.alloc(0));
  while (queue.length) {
    const { node, index } = queue.shift() as { node: Node; index: number };
    const first = next;
    entries[index] = entry(node, first);
    for (const child of node.children ?? []) {
      const childIndex = next++;
      entries.push(Buffer.alloc(0));
      if (child.children) queue.push({ node: child, index: childIndex });
      else entries[childIndex] = entry(child, 0);
    }
  }
  const tree = Buffer.concat(entries);
  const data = Buffer.concat(blobs);
  const nameTable = Buffer.concat(names);
  const header = Buffer.alloc(24);
  header.write('qres', 0, 'latin1');
  header.writeUInt32BE(3, 4);
  header.writeUInt32BE(24, 8);
  header.writeUInt32BE(24 + tree.length, 12);
  header.writeUInt32BE(24 + tree.length + data.length, 16);
  return Buffer.concat([header, tree, data, nameTable]);
}

describe('readQtResources', () => {
  it('should list every file with its path and bytes, compressed or stored', () => {
    const photo = Buffer.from('RIFF....WEBPVP8 not really a picture');
    const text = Buffer.from('import QtQuick 2.12\n'.repeat(20));
    const rcc = bundle([
      {
        name: 'gcompris',
        children: [
          { name: 'animals', children: [{ name: 'cat.webp', bytes: photo }] },
          { name: 'Activity.qml', bytes: text, compress: true },
        ],
      },
      { name: 'höhle.svg', bytes: Buffer.from('<svg/>') },
    ]);
    const files = readQtResources(rcc).sort((a, b) => a.name.localeCompare(b.name));
    expect(files.map((f) => f.name)).toEqual(['gcompris/Activity.qml', 'gcompris/animals/cat.webp', 'höhle.svg']);
    expect(files[0].bytes.equals(text)).toBe(true);
    expect(files[1].bytes.equals(photo)).toBe(true);
    expect(files[2].bytes.toString()).toBe('<svg/>');
    // The bundle itself is not changed by reading it (names are decoded from a copy).
    expect(
      readQtResources(rcc)
        .map((f) => f.name)
        .sort(),
    ).toEqual(files.map((f) => f.name));
  });

  it('should refuse what is not a Qt resource bundle', () => {
    expect(() => readQtResources(Buffer.from('PK\u0003\u0004 a zip file, not rcc'))).toThrow('not a Qt resource bundle');
    const future = bundle([]);
    future.writeUInt32BE(9, 4);
    expect(() => readQtResources(future)).toThrow('version 9 is not supported');
  });
});
