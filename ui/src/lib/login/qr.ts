// A QR code as one SVG path, drawn client-side from the login URL (the
// CSP allows no data: images, so the code is markup, not a picture file).
import encodeQR from 'qr';

export interface QrShape {
  /** Modules per side, the quiet zone included. */
  size: number;
  /** One `M x y h w v1 h-w z` rectangle per run of dark modules in a row. */
  path: string;
}

/** The path of the dark modules of `matrix` (rows of booleans, true = dark). */
export function matrixPath(matrix: boolean[][]): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x += 1;
      const width = x - start;
      parts.push(`M${start} ${y}h${width}v1h-${width}z`);
    }
  });
  return parts.join('');
}

/** The QR code of `text` with medium error correction and a 2-module quiet zone. */
export function qrShape(text: string): QrShape {
  const matrix = encodeQR(text, 'raw', { ecc: 'medium', border: 2 });
  return { size: matrix.length, path: matrixPath(matrix) };
}
