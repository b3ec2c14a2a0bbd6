// The HTML report's style sheet (report_html.cpp), apart so the renderer
// reads as structure.
#pragma once

namespace tinykws::eval {

// No '<', '>' or '&' in here: the page stays trivially well-formed.
inline constexpr const char* kCss = R"css(
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#1f2937;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:26px 28px 30px}
header{display:flex;justify-content:space-between;align-items:flex-end;gap:24px;margin-bottom:18px}
h1{font-size:24px;margin:0 0 4px;letter-spacing:-.01em}
h2{font-size:16px;margin:0 0 4px;color:#111827}
.sub{color:#6b7280;margin:0}
.meta{color:#6b7280;font-size:12.5px;text-align:right}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:14px;margin-bottom:18px}
.tile{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:14px 16px}
.tile .k{font-size:11.5px;text-transform:uppercase;letter-spacing:.06em;color:#6b7280;font-weight:600}
.tile .v{font-size:28px;font-weight:700;margin:2px 0 2px;font-variant-numeric:tabular-nums;white-space:nowrap}
.tile .s{font-size:12.5px;color:#4b5563}
.tile.hero{background:#1e3a8a;border-color:#1e3a8a;color:#fff}
.tile.hero .k,.tile.hero .s{color:#c7d2fe}
.good{color:#047857}.bad{color:#b91c1c}
.mfcc{color:#2563eb}.inference{color:#0d9488}
.tile code{word-break:normal}
.cols h4:first-child{margin-top:0}
table + .cols{margin-top:20px}
.split{display:flex;height:6px;border-radius:3px;overflow:hidden;margin-top:8px;background:#e5e7eb}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:18px 20px;margin-bottom:18px}
.card .sub{font-size:12.5px;margin-bottom:14px}
.row{display:grid;grid-template-columns:1fr 1fr;gap:18px;margin-bottom:18px}
.row .card{margin-bottom:0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:28px}
.charts{display:grid;grid-template-columns:repeat(3,1fr);gap:16px}
.charts h3,.side h3{font-size:13px;margin:0 0 6px;color:#374151}
.latency{display:grid;grid-template-columns:640px 1fr;gap:26px;align-items:start}
.center{display:flex;justify-content:center}
.chips{display:flex;flex-wrap:wrap;gap:8px;margin-top:14px}
.chips span{background:#f3f4f6;border-radius:999px;padding:3px 10px;font-size:12.5px;color:#374151}
.chips b{color:#111827}
table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eef0f2;vertical-align:top}
thead th{font-weight:600;color:#6b7280;font-size:11.5px;text-transform:uppercase;letter-spacing:.05em}
table.kv th{font-weight:500;color:#6b7280;width:30%}
table.pairs th{width:auto}
td.num,th.num{text-align:right}
tr.strong td{font-weight:600}
.unit{text-transform:none}
h4{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#6b7280;margin:16px 0 4px}
code{font:12px ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;word-break:break-all;background:#f3f4f6;padding:1px 5px;border-radius:4px}
.pred{color:#b91c1c;font-weight:600}
.note{font-size:12.5px;color:#6b7280;margin:10px 0 0}
svg{max-width:100%;height:auto;display:block}
footer{color:#9ca3af;font-size:12px;text-align:center}
)css";

}  // namespace tinykws::eval
