import { decodeQR } from 'qr/decode.js';
import { describe, expect, it } from 'vitest';
import { matrixPath, qrShape } from './qr';

/** Paints an SVG path of `M x y h w v1 h-w z` rectangles into an RGB bitmap. */
function rasterize(path: string, size: number, scale: number) {
  const width = size * scale;
  const data = new Uint8Array(width * width * 3).fill(255);
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
      for (let px = Number(x) * scale; px < (Number(x) + Number(w)) * scale; px++) {
        data.fill(0, (py * width + px) * 3, (py * width + px) * 3 + 3);
      }
    }
  }
  return { width, height: width, data };
}

describe('matrixPath', () => {
  it('draws one rectangle per run of dark modules', () => {
    expect(matrixPath([[true, true, false, true], [false, false, false, false], [false, true, true, true]])).toBe(
      'M0 0h2v1h-2zM3 0h1v1h-1zM1 2h3v1h-3z',
    );
    expect(matrixPath([])).toBe('');
  });
});

describe('qrShape', () => {
  it('encodes the login URL so a scanner reads it back', () => {
    const url = 'tg://login?token=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA';
    const shape = qrShape(url);
    expect(shape.size).toBeGreaterThanOrEqual(25);
    expect(decodeQR(rasterize(shape.path, shape.size, 4))).toBe(url);
  });

  it('changes with the token', () => {
    expect(qrShape('tg://login?token=a').path).not.toBe(qrShape('tg://login?token=b').path);
  });
});
