#!/usr/bin/env node
/**
 * Draws myTimer's icons into build/icons/ with no dependency: simple shapes, 4×4 supersampled, written
 * by the minimal PNG encoder below (RGBA, zlib from node). Run `node scripts/make-icons.mjs` after
 * changing a shape; the PNGs are committed so a build never needs this script.
 *
 * - icon-512.png, icon-256.png: the app icon (a clock face on a teal rounded square); icon.svg is the
 *   same drawing as a vector source.
 * - tray-<active|paused>-<light|dark>-<16|22|32>.png and their @2x: a clock ring with hands (active)
 *   or pause bars (paused). `light` is for light panels (dark glyph), `dark` for dark panels.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'icons');
const SUPERSAMPLE = 4;

// ─── PNG ─────────────────────────────────────────────────────────────────────

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes `rgba` (width × height × 4 bytes, straight alpha) as a PNG. */
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // compression, filter and interlace methods: 0
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ─── Shapes, in a unit square (0..1, y down) ────────────────────────────────

const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) <= r;
const ring = (cx, cy, inner, outer) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d >= inner && d <= outer;
};
/** A stroke from (x1, y1) to (x2, y2), `width` wide, with round caps. */
const segment = (x1, y1, x2, y2, width) => (x, y) => {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) <= width / 2;
};
const roundedSquare = (inset, radius) => (x, y) => {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const qx = Math.max(lo - x, 0, x - hi);
  const qy = Math.max(lo - y, 0, y - hi);
  return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && Math.hypot(qx, qy) <= radius;
};

/** Renders layers (`{ shape, color: [r, g, b, a] }`, painted in order) at `size` px. */
function render(size, layers) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const { shape, color } of layers) {
        let hits = 0;
        for (let sy = 0; sy < SUPERSAMPLE; sy++) {
          for (let sx = 0; sx < SUPERSAMPLE; sx++) {
            if (shape((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size)) hits++;
          }
        }
        const alpha = (hits / samples) * (color[3] / 255);
        if (alpha === 0) continue;
        // "over" compositing, straight alpha.
        const outA = alpha + a * (1 - alpha);
        r = (color[0] * alpha + r * a * (1 - alpha)) / outA;
        g = (color[1] * alpha + g * a * (1 - alpha)) / outA;
        b = (color[2] * alpha + b * a * (1 - alpha)) / outA;
        a = outA;
      }
      const at = (py * size + px) * 4;
      rgba[at] = Math.round(r);
      rgba[at + 1] = Math.round(g);
      rgba[at + 2] = Math.round(b);
      rgba[at + 3] = Math.round(a * 255);
    }
  }
  return encodePng(size, size, rgba);
}

// ─── The drawings ────────────────────────────────────────────────────────────

const TEAL = [31, 122, 140, 255];
const FACE = [250, 250, 247, 255];
const INK = [34, 40, 49, 255];
const ACCENT = [232, 163, 23, 255];
const GLYPH = { light: [30, 30, 30, 255], dark: [242, 242, 242, 255] };

const appIcon = [
  { shape: roundedSquare(0.04, 0.2), color: TEAL },
  { shape: circle(0.5, 0.5, 0.34), color: FACE },
  { shape: segment(0.5, 0.5, 0.5, 0.26, 0.05), color: INK },
  { shape: segment(0.5, 0.5, 0.33, 0.4, 0.06), color: INK },
  { shape: circle(0.5, 0.5, 0.045), color: ACCENT },
];

function trayGlyph(paused, theme) {
  const ink = GLYPH[theme];
  const layers = [{ shape: ring(0.5, 0.5, 0.33, 0.46), color: ink }];
  if (paused) {
    layers.push(
      { shape: segment(0.41, 0.36, 0.41, 0.64, 0.12), color: ACCENT },
      { shape: segment(0.59, 0.36, 0.59, 0.64, 0.12), color: ACCENT },
    );
  } else {
    layers.push(
      { shape: segment(0.5, 0.5, 0.5, 0.25, 0.11), color: ink },
      { shape: segment(0.5, 0.5, 0.68, 0.56, 0.11), color: ink },
    );
  }
  return layers;
}

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <!-- myTimer's app icon; scripts/make-icons.mjs draws the same shapes into the PNGs. -->
  <rect x="20.48" y="20.48" width="471.04" height="471.04" rx="102.4" fill="#1f7a8c"/>
  <circle cx="256" cy="256" r="174.08" fill="#fafaf7"/>
  <line x1="256" y1="256" x2="256" y2="133.12" stroke="#222831" stroke-width="25.6" stroke-linecap="round"/>
  <line x1="256" y1="256" x2="168.96" y2="204.8" stroke="#222831" stroke-width="30.72" stroke-linecap="round"/>
  <circle cx="256" cy="256" r="23.04" fill="#e8a317"/>
</svg>
`;

function main() {
  mkdirSync(OUT_DIR, { recursive: true });
  const written = [];
  const write = (name, bytes) => {
    writeFileSync(path.join(OUT_DIR, name), bytes);
    written.push(name);
  };
  for (const size of [512, 256]) write(`icon-${size}.png`, render(size, appIcon));
  write('icon.svg', ICON_SVG);
  for (const shows of ['active', 'paused']) {
    for (const theme of ['light', 'dark']) {
      for (const size of [16, 22, 32]) {
        const layers = trayGlyph(shows === 'paused', theme);
        write(`tray-${shows}-${theme}-${size}.png`, render(size, layers));
        write(`tray-${shows}-${theme}-${size}@2x.png`, render(size * 2, layers));
      }
    }
  }
  process.stdout.write(
    `make-icons: wrote ${written.length} files to ${path.relative(process.cwd(), OUT_DIR)}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
