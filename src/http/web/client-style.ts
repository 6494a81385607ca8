/**
 * @module http/web/client-style
 * The page's stylesheet, served as /web/app.css (a string for the same reason as the script: Workers
 * have no file system). System fonts only, so nothing is fetched from elsewhere. Verdict colours pass
 * WCAG AA with white text, and every verdict is also written in words.
 */
export const WEB_STYLE = `
:root{--ink:#1b2127;--muted:#4f5b66;--line:#cfd6dd;--bg:#fff;--soft:#f3f5f7;--accent:#1f5fa8;
--prohibited:#8e1414;--high_risk:#a8410a;--review:#6f5300;--clear:#1d6a33;--error:#5b2a86}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}
code,.hs{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em}
.hs{white-space:nowrap}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem;z-index:10}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.site{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem;
padding:.5rem 1rem;border-bottom:1px solid var(--line);background:var(--soft)}
.brand{margin:0;font-weight:600}.brand a{color:var(--ink);text-decoration:none}.brand span{color:var(--muted);font-weight:400}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
section.key{padding:.5rem 1rem;border-bottom:1px solid var(--line)}
.key-form{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;max-width:72rem;margin:0 auto}
.key-form label{font-weight:600}.key-form input{flex:1 1 16rem;min-width:0}
.key-form .help{flex-basis:100%;margin:0}
main{max-width:72rem;margin:0 auto;padding:0 1rem 3rem}
h1{font-size:1.6rem;margin:1rem 0 .5rem}h2{font-size:1.3rem;margin:2rem 0 .5rem;padding-top:.5rem;border-top:1px solid var(--line)}
h3{font-size:1.1rem;margin:1.25rem 0 .25rem}
.lead{max-width:48rem}
.help{color:var(--muted);font-size:.9rem;margin:.25rem 0}
.notice{margin:1rem;padding:.75rem 1rem;border:1px solid var(--line);background:var(--soft)}
.field{display:flex;flex-direction:column;gap:.2rem;margin:.5rem 0;min-width:0}
.field label{font-weight:600}
.field.inline{flex-direction:row;align-items:center;gap:.5rem;margin:0}
.row{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}
.row .field{flex:1 1 12rem}
.field-button{margin:.5rem 0}
input,select,textarea,button{font:inherit;color:inherit}
input,select,textarea{padding:.45rem .5rem;border:1px solid #8a96a3;border-radius:4px;background:#fff;max-width:100%}
textarea{width:100%;resize:vertical}
input.country{width:6rem;text-transform:uppercase}
input:focus,select:focus,textarea:focus,button:focus,a:focus,[tabindex]:focus{outline:3px solid #f0b400;outline-offset:1px}
button{padding:.5rem 1.1rem;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;font-weight:600}
button.secondary{background:#fff;color:var(--accent)}
button.link{background:none;border:0;padding:0;color:var(--accent);text-decoration:underline;font-weight:400}
button:disabled{opacity:.6;cursor:progress}
details.more{margin:.5rem 0}summary{cursor:pointer;color:var(--accent)}
.result:empty,.batch-status:empty{display:none}
.result{margin:1rem 0;padding:1rem;border:1px solid var(--line);border-radius:6px}
.verdict{display:inline-block;padding:.15rem .6rem;border-radius:4px;color:#fff;font-weight:700;white-space:nowrap}
.verdict::before{margin-right:.35rem}
.v-prohibited{background:var(--prohibited)}.v-prohibited::before{content:"\\2716"}
.v-high_risk{background:var(--high_risk)}.v-high_risk::before{content:"\\25B2"}
.v-review{background:var(--review)}.v-review::before{content:"?"}
.v-clear{background:var(--clear)}.v-clear::before{content:"\\2714"}
.v-error{background:var(--error)}.v-error::before{content:"!"}
.verdict-line{font-size:1.2rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:0 0 .5rem}
.evidence{margin:.25rem 0;padding-left:1.25rem;color:var(--muted)}
.reasons{padding-left:1.5rem}.reasons li{margin:.5rem 0}.reasons p{margin:.1rem 0}
.source{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.effect-prohibited{color:var(--prohibited)}.effect-high_risk{color:var(--high_risk)}.effect-review{color:var(--review)}.effect-clear{color:var(--clear)}
.problem{border-left:4px solid var(--prohibited);padding:.25rem .75rem;background:#fdf2f2}
.table-scroll{overflow-x:auto;max-width:100%;margin:.5rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--soft)}
td.num{text-align:right;white-space:nowrap}
td.wrap{min-width:12rem}
td.reason{min-width:16rem}
.clamp{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.toolbar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem;margin-top:1rem}
.downloads{margin:0}
.progress{height:1rem;border:1px solid #8a96a3;border-radius:4px;background:var(--soft);overflow:hidden;max-width:40rem}
.progress .fill{height:100%;width:0;background:var(--accent);transition:width .2s}
dialog{max-width:min(60rem,calc(100vw - 1rem));width:100%;max-height:calc(100vh - 2rem);padding:1rem;border:1px solid var(--line);border-radius:6px}
dialog::backdrop{background:rgba(0,0,0,.4)}
.dialog-head{display:flex;justify-content:space-between;align-items:center;gap:1rem}
.dialog-head h3{margin:0}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}
.meta dt{font-weight:600}.meta dd{margin:0;overflow-wrap:anywhere}
.record h2{border-top:1px solid var(--line)}
.printed{color:var(--muted);font-size:.85rem;margin-top:2rem}
@media (max-width:40rem){
  body{font-size:15px}
  main{padding:0 .75rem 2rem}
  .meta{grid-template-columns:1fr}.meta dd{margin-bottom:.4rem}
  button[type=submit]{width:100%}
}
@media print{
  @page{margin:15mm}
  body{font-size:11pt;color:#000}
  .no-print,noscript,button,details.more,dialog{display:none!important}
  main{max-width:none;padding:0}
  h1{font-size:16pt;margin-top:0}h2{font-size:13pt;break-after:avoid}
  a{color:#000;text-decoration:none}
  .verdict{color:#000;background:none!important;border:2px solid #000}
  .table-scroll{overflow:visible}
  table{font-size:9.5pt}tr,li{break-inside:avoid}
}
`
