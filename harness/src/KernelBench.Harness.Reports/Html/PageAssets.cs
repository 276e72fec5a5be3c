namespace KernelBench.Harness.Reports.Html;

/// <summary>
/// The CSS and script every page inlines (nothing is fetched, so a page works from a file:// path and offline). The script
/// sorts any table.sortable by a clicked header (numbers by data-sort or value, missing values last either way) and filters
/// rows by the text of input[data-filter] and the exact cell of select[data-filter-col].
/// </summary>
public static class PageAssets
{
    public const string Css =
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em auto;max-width:1320px;color:#222;padding:0 1em}" +
        "table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}" +
        "th{background:#f3f3f3}tbody tr:nth-child(even){background:#fafafa}.note{color:#555;font-size:13px;max-width:900px}" +
        "td.num{text-align:right;white-space:nowrap}td.wrap{overflow-wrap:anywhere;word-break:break-word}" +
        "table.sortable th{cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}" +
        ".warning{background:#fdecea;border:1px solid #d33;padding:.5em 1em;margin:1em 0;font-size:14px}" +
        ".legend{font-size:13px}.legend dd{margin:0 0 .3em 1.5em;color:#444}" +
        ".partial{background:#fff4e5;border:1px solid #f0a020;padding:.5em 1em;margin:1em 0}" +
        ".failed{background:#fdecea;border:1px solid #d33;padding:1em;max-width:760px}figure{margin:1em 0}" +
        "figcaption{color:#555;font-size:13px}img{max-width:100%;height:auto;border:1px solid #eee}" +
        ".filters{margin:.5em 0;display:flex;gap:1em;align-items:center;font-size:14px}" +
        "pre{background:#f7f7f7;border:1px solid #ddd;padding:.6em;overflow-x:auto;font-size:12.5px;max-height:40em}" +
        "details{margin:.4em 0}summary{cursor:pointer;font-weight:600}" +
        ".attempt{border:1px solid #ccc;border-radius:6px;padding:.4em 1em;margin:1em 0}.attempt h4{margin:.4em 0}" +
        ".status{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:13px}" +
        ".s-correct{background:#2a8a46}.s-incorrect{background:#d98a1c}.s-compile_error{background:#c62828}" +
        ".s-runtime_error{background:#a0306a}.s-timeout{background:#6b4fbb}.s-other{background:#777}" +
        ".diff .add{background:#e6ffec;display:block}.diff .del{background:#ffebe9;display:block}.diff .same{display:block;color:#555}" +
        "svg.timeline{max-width:100%;height:auto;font-size:12px}";

    public const string Script = """
        (function () {
          function key(td) {
            var v = td.hasAttribute('data-sort') ? td.getAttribute('data-sort') : td.textContent.trim();
            var n = Number(v);
            return v !== '' && isFinite(n) ? n : v.toLowerCase();
          }
          document.querySelectorAll('table.sortable').forEach(function (table) {
            var heads = table.tHead.rows[0].cells;
            Array.prototype.forEach.call(heads, function (th, i) {
              th.addEventListener('click', function () {
                var asc = th.getAttribute('aria-sort') !== 'ascending';
                Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var x = key(a.cells[i]), y = key(b.cells[i]);
                  if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
                  return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
                });
                rows.forEach(function (r) { body.appendChild(r); });
              });
            });
          });
          function apply(id) {
            var table = document.getElementById(id);
            var text = document.querySelector('input[data-filter="' + id + '"]');
            var select = document.querySelector('select[data-filter="' + id + '"]');
            var terms = text ? text.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
            var col = select ? Number(select.getAttribute('data-filter-col')) : -1;
            Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
              var all = r.textContent.toLowerCase();
              var ok = terms.every(function (t) { return all.indexOf(t) >= 0; });
              if (ok && select && select.value !== '') ok = r.cells[col].textContent.trim() === select.value;
              r.hidden = !ok;
            });
          }
          document.querySelectorAll('[data-filter]').forEach(function (el) {
            el.addEventListener('input', function () { apply(el.getAttribute('data-filter')); });
          });
        })();
        """;
}
