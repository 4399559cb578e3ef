import { esc } from "./svg.js";

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:14px;margin:16px 0 6px}.muted{color:#57606a}
table{border-collapse:collapse;margin:6px 0}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #eaeef2;vertical-align:middle}
th{font-weight:600;background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.row{display:flex;gap:10px;align-items:flex-start;margin:4px 0}.cell{display:flex;flex-direction:column;align-items:center;font-size:10px;width:58px}
.query{padding-right:10px;border-right:2px solid #d0d7de}.hit svg{outline:2px solid #2da44e}.miss svg{outline:2px solid #cf222e}
svg.tensor{display:block}.modes{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:8px 28px}
`;

/** A complete, self-contained HTML document: inline CSS, inline SVG, no scripts, no network. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>${body}</body></html>
`;
}
