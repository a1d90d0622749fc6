/**
 * Draws build/icon.png (512×512 RGBA), the same picture as build/icon.svg: a coupon ticket with a
 * barcode and a scan line on a teal rounded square. Plain zlib + PNG chunks, so no image tool is
 * needed:   npx tsx scripts/icon.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
type Rgba = [number, number, number, number];
const TEAL: Rgba = [0x0f, 0x76, 0x6e, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const ORANGE: Rgba = [0xf9, 0x73, 0x16, 255];
const CLEAR: Rgba = [0, 0, 0, 0];
const BARS: [number, number][] = [
  [150, 14],
  [178, 8],
  [200, 20],
  [234, 8],
  [256, 14],
  [284, 20],
  [318, 8],
  [340, 14],
];

const inRoundedSquare = (x: number, y: number, r: number) => {
  const cx = Math.min(Math.max(x, r), SIZE - r);
  const cy = Math.min(Math.max(y, r), SIZE - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

function colourAt(x: number, y: number): Rgba {
  if (!inRoundedSquare(x, y, 96)) return CLEAR;
  if (y >= 250 && y < 262 && x >= 120 && x < 392) return ORANGE;
  const inTicket = x >= 96 && x < 416 && y >= 160 && y < 352;
  const inNotch = (x - 96) ** 2 + (y - 256) ** 2 < 40 ** 2 || (x - 416) ** 2 + (y - 256) ** 2 < 40 ** 2;
  if (!inTicket || inNotch) return TEAL;
  if (y >= 200 && y < 312 && BARS.some(([bx, w]) => x >= bx && x < bx + w)) return TEAL;
  return WHITE;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function drawIcon(): Buffer {
  const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (SIZE * 4 + 1); // each row starts with filter byte 0 (none)
    for (let x = 0; x < SIZE; x++) Buffer.from(colourAt(x + 0.5, y + 0.5)).copy(raw, row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'icon.png');
  writeFileSync(out, drawIcon());
  console.log(out);
}
