/** Series is one curve: a name, a colour and a value in 0..1 per window. */
export interface Series {
  name: string;
  colour: string;
  values: readonly number[];
}

const W = 640;
const H = 320;
const PAD = { left: 56, right: 150, top: 36, bottom: 44 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * chartSvg draws accuracy per window for each series as an SVG line chart,
 * 0-100% on the y axis and the window's last deployment on the x axis.
 */
export function chartSvg(title: string, window: number, series: readonly Series[]): string {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number): number => PAD.left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number): number => PAD.top + plotH * (1 - v);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const v of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
    const dash = v === 0.9 ? ' stroke-dasharray="4 3"' : '';
    parts.push(`<line x1="${PAD.left}" y1="${y(v).toFixed(1)}" x2="${PAD.left + plotW}" y2="${y(v).toFixed(1)}" stroke="#dddddd"${dash}/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Math.round(v * 100)}%</text>`);
  }
  for (let i = 0; i < n; i++) {
    parts.push(`<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${(i + 1) * window}</text>`);
  }
  parts.push(`<text x="${PAD.left + plotW / 2}" y="${H - 8}" text-anchor="middle">deployments (window of ${window})</text>`);
  parts.push(`<text transform="translate(14 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">right first time</text>`);
  for (const [k, s] of series.entries()) {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${s.colour}" stroke-width="2.5"/>`);
    for (const [i, v] of s.values.entries()) parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.colour}"/>`);
    const ly = PAD.top + 10 + k * 20;
    parts.push(`<line x1="${W - PAD.right + 12}" y1="${ly}" x2="${W - PAD.right + 32}" y2="${ly}" stroke="${s.colour}" stroke-width="2.5"/>`);
    parts.push(`<text x="${W - PAD.right + 38}" y="${ly + 4}">${esc(s.name)}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
