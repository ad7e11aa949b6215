import type { Rgba } from './png.js';

/*
 * Warden's Teams icons, drawn in code so they can be regenerated at any size: a shield with a
 * keyhole. Teams wants a 192×192 full-colour icon and a 32×32 outline, white on transparent.
 */

type Color = readonly [number, number, number, number];
const NAVY: Color = [0x1f, 0x3a, 0x5f, 255];
const TEAL: Color = [0x2b, 0xb3, 0x9c, 255];
const WHITE: Color = [255, 255, 255, 255];
const CLEAR: Color = [0, 0, 0, 0];

/** Is the point (in 0..1 units) inside the shield: straight sides that narrow to a point at the bottom. */
function inShield(x: number, y: number): boolean {
  if (y < 0.1 || y > 0.92) return false;
  const halfWidth = y < 0.55 ? 0.36 : 0.36 * (1 - (y - 0.55) / 0.37);
  return Math.abs(x - 0.5) <= halfWidth;
}

function inKeyhole(x: number, y: number): boolean {
  const dx = x - 0.5;
  const dy = y - 0.42;
  return dx * dx + dy * dy <= 0.085 * 0.085 || (Math.abs(dx) <= 0.04 && y >= 0.42 && y <= 0.66);
}

function draw(size: number, pick: (x: number, y: number) => Color): Rgba {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const color = pick((px + 0.5) / size, (py + 0.5) / size);
      pixels.set(color, (py * size + px) * 4);
    }
  }
  return { width: size, height: size, pixels };
}

/** The colour icon: a white shield on Warden's navy, a teal keyhole. */
export function colorIcon(size = 192): Rgba {
  return draw(size, (x, y) => (inShield(x, y) ? (inKeyhole(x, y) ? TEAL : WHITE) : NAVY));
}

/** The outline icon: the same shield in white on transparent, the keyhole cut out. */
export function outlineIcon(size = 32): Rgba {
  return draw(size, (x, y) => (inShield(x, y) && !inKeyhole(x, y) ? WHITE : CLEAR));
}
