/** The report page's only stylesheet. It is inline (the page loads nothing) and its hash goes
 * into the page's Content-Security-Policy, so no other style can apply. */
export const REPORT_CSS = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --line: #d0d7de; --muted: #57606a; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK JP", sans-serif; color: #1f2328; background: #fff; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 24px; margin: 0 0 12px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
code { font: 12.5px/1.3 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.lab-banner { margin: 0 0 12px; padding: 10px 14px; border: 2px dashed var(--warn); background: #fff8c5; font-weight: 600; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); }
.badge.done, .badge.skipped { background: var(--ok); }
.badge.failed { background: var(--bad); }
.badge.awaiting-approval, .badge.running, .badge.unfinished { background: var(--warn); }
.outcome p { font-size: 16px; margin: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 12px; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.outside { color: var(--bad); font-weight: 600; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--soft); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.when { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.error { color: var(--bad); }
caption { caption-side: top; text-align: left; color: var(--muted); padding: 0 0 6px; }
tr.diff td { background: #ffebe9; }
tr.diff td.mismatch { background: #ffcecb; font-weight: 600; }
td.reason { color: var(--bad); }
td.same { color: var(--ok); }
ul.other-differences li { color: var(--bad); }
.muted { color: var(--muted); }
figure { margin: 8px 0 0; }
figcaption { color: var(--muted); font-size: 12px; }
svg.timeline { width: 100%; height: auto; display: block; }
svg.timeline text { font: 11px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; fill: #1f2328; }
svg.timeline text.axis { fill: var(--muted); }
svg.timeline .track { fill: var(--soft); stroke: var(--line); }
svg.timeline .margin { fill: #fff1c2; }
svg.timeline .downtime { fill: #0969da; }
svg.timeline .downtime.outside-window { fill: var(--bad); }
svg.timeline .bar { fill: var(--ok); }
svg.timeline .bar.failed { fill: var(--bad); }
svg.timeline .bar.running, svg.timeline .bar.pending { fill: var(--warn); }
svg.timeline .grid { stroke: var(--line); }
footer { margin-top: 32px; padding-bottom: 24px; color: var(--muted); font-size: 12px; }
@media print { thead th { position: static; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`
