// The app icons, drawn when the player is built (no binary files in the repository): a warm
// lantern light on the deep blue of the night sea. PNG is what browsers ask for to install a
// web app; the encoder below writes the few chunks a PNG needs.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function mix(a: number[], b: number[], t: number): number[] {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

// A square icon of `size` pixels; `maskable` leaves the safe zone margin Android crops into.
export function drawIcon(size: number, maskable = false): Buffer {
  const sea = [29, 53, 87];
  const glow = [244, 162, 97];
  const core = [255, 236, 200];
  const rows = Buffer.alloc(size * (size * 4 + 1));
  const centre = size / 2;
  const radius = size * (maskable ? 0.26 : 0.32);
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - centre, y + 0.5 - centre * 1.04) / radius;
      let rgb = sea;
      if (d < 0.45) rgb = core;
      else if (d < 1) rgb = mix(core, glow, (d - 0.45) / 0.55);
      else if (d < 1.6) rgb = mix(glow, sea, Math.min(1, (d - 1) / 0.6) ** 0.6);
      const at = y * (size * 4 + 1) + 1 + x * 4;
      rows[at] = rgb[0];
      rows[at + 1] = rgb[1];
      rows[at + 2] = rgb[2];
      rows[at + 3] = 255;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array()),
  ]);
}
