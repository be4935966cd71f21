/**
 * A small PNG reader for screenshot checks: 8-bit RGB or RGBA, non-interlaced (what Chromium writes). Returns the
 * size and the unfiltered pixels, so a test can say how much of the picture is not background.
 */
import { inflateSync } from "node:zlib";

export interface Png {
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA) */
  channels: number;
  pixels: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function readPng(buf: Buffer): Png {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG");
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const color = data[9];
      if (depth !== 8 || (color !== 2 && color !== 6) || data[12] !== 0)
        throw new Error(`unsupported PNG (depth ${depth}, color ${color}, interlace ${data[12]})`);
      channels = color === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels] : 0;
      const b = prev[x];
      const c = x >= channels ? prev[x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[x] = v & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Share of pixels that differ from the first pixel (the background), and of those close to `rgb`. */
export function pixelShares(png: Png, rgb: [number, number, number], tolerance = 40): { notBackground: number; near: number } {
  const { pixels, channels } = png;
  const bg = [pixels[0], pixels[1], pixels[2]];
  let notBackground = 0;
  let near = 0;
  const total = png.width * png.height;
  for (let i = 0; i < total; i++) {
    const o = i * channels;
    const r = pixels[o];
    const g = pixels[o + 1];
    const b = pixels[o + 2];
    if (r !== bg[0] || g !== bg[1] || b !== bg[2]) notBackground++;
    if (Math.abs(r - rgb[0]) <= tolerance && Math.abs(g - rgb[1]) <= tolerance && Math.abs(b - rgb[2]) <= tolerance) near++;
  }
  return { notBackground: notBackground / total, near: near / total };
}
