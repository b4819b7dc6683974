// Draws the extension icon, images/icon.png (128×128): a shield in Windows blue holding a white
// container (a box with three ribs) and a check mark. Original artwork, drawn with signed-distance
// shapes at 4×4 samples per pixel for smooth edges; PNG encoding by pngjs (a maintained encoder).
//
//   node images/generate-icon.mjs          write images/icon.png
//   node images/generate-icon.mjs --check  exit 1 if the committed icon differs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const SIZE = 128;
const SAMPLES = 4;
const target = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');

const BLUE = [0, 120, 212];
const DARK = [0, 69, 130];
const WHITE = [255, 255, 255];
const GREEN = [22, 198, 12];

// Shield: a rounded top and sides that meet in a point, in a 0..1 square.
function inShield(x, y) {
  if (y < 0.08 || y > 0.94) return false;
  const half = y < 0.55 ? 0.40 : 0.40 * Math.sqrt(Math.max(0, (0.94 - y) / 0.39));
  const top = y < 0.18 ? 0.40 - (0.18 - y) * 0.9 : half;
  return Math.abs(x - 0.5) <= Math.min(half, top);
}
function inShieldRim(x, y) {
  return inShield(x, y) && !inShieldInner(x, y);
}
function inShieldInner(x, y) {
  const s = 0.9;
  return inShield(0.5 + (x - 0.5) / s, 0.5 + (y - 0.52) / s);
}
// Container: a rounded box with three vertical ribs.
function inContainer(x, y) {
  const within = x > 0.28 && x < 0.72 && y > 0.30 && y < 0.60;
  if (!within) return false;
  const rib = [0.39, 0.5, 0.61].some((r) => Math.abs(x - r) < 0.018) && y > 0.34 && y < 0.56;
  return !rib;
}
// Check mark: two thick segments.
function distanceToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
function inCheck(x, y) {
  const d = Math.min(distanceToSegment(x, y, 0.36, 0.71, 0.46, 0.80), distanceToSegment(x, y, 0.46, 0.80, 0.66, 0.64));
  return d < 0.045;
}

function colourAt(x, y) {
  if (inCheck(x, y)) return [...GREEN, 255];
  if (inContainer(x, y)) return [...WHITE, 255];
  if (inShieldRim(x, y)) return [...DARK, 255];
  if (inShield(x, y)) return [...BLUE, 255];
  return [0, 0, 0, 0];
}

export function drawIcon() {
  const png = new PNG({ width: SIZE, height: SIZE });
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = colourAt((px + (sx + 0.5) / SAMPLES) / SIZE, (py + (sy + 0.5) / SAMPLES) / SIZE);
          // Premultiplied, so transparent samples do not darken the edges.
          sum[0] += c[0] * c[3]; sum[1] += c[1] * c[3]; sum[2] += c[2] * c[3]; sum[3] += c[3];
        }
      }
      const i = (py * SIZE + px) * 4;
      const alpha = sum[3] / (SAMPLES * SAMPLES);
      png.data[i] = sum[3] ? Math.round(sum[0] / sum[3]) : 0;
      png.data[i + 1] = sum[3] ? Math.round(sum[1] / sum[3]) : 0;
      png.data[i + 2] = sum[3] ? Math.round(sum[2] / sum[3]) : 0;
      png.data[i + 3] = Math.round(alpha);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

const bytes = drawIcon();
if (process.argv.includes('--check')) {
  if (!fs.existsSync(target) || !fs.readFileSync(target).equals(bytes)) {
    console.error('images/icon.png is out of date: run node images/generate-icon.mjs');
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, bytes);
}
