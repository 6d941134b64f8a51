// Draws the gradspec report / dashboard from the JSON block #gradspec-data (see page-data.ts). Every
// text from a report goes in through textContent or an attribute, never as HTML.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('gradspec-data').textContent);
  const SYMBOL = { pass: '✓', fail: '✗', error: '!', refused: 'R', skip: '–', xfail: 'x', xpass: 'X', 'not-run': '·' };
  const STATUSES = ['pass', 'fail', 'error', 'refused', 'skip', 'xfail', 'xpass', 'not-run'];
  const SUMMARY_KEY = { 'not-run': 'notRun' };
  const FAILING = ['fail', 'error', 'xpass'];

  /** el('td', { class: 'x', 'data-op': op }, 'text', childNode): attributes set one by one, text as text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
    for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
    return node;
  }
  const $ = (id) => document.getElementById(id);
  const count = (summary, status) => summary[SUMMARY_KEY[status] || status];
  const total = (summary) => STATUSES.reduce((n, s) => n + count(summary, s), 0);
  const ops = [...new Set(data.cases.map((c) => c.op))];
  const features = [...new Set(data.cases.flatMap((c) => c.features))].sort();

  function header() {
    $('title').textContent = data.title;
    const what = data.kind === 'dashboard' ? `${data.runs.length} implementations side by side` : 'one run';
    $('subtitle').textContent = `gradspec ${data.gradspecVersion} · ${what} · ${data.cases.length} cases · generated ${data.generated}`;
  }

  function runCards() {
    data.runs.forEach((run, i) => {
      const s = run.summary;
      const counts = STATUSES.filter((st) => count(s, st) > 0).map((st) => el('span', { class: `badge status-${st}` }, `${count(s, st)} ${st}`));
      // From the counts too, not the report's word alone: a run with a failing case never shows as passed.
      const failed = !run.succeeded || run.runError || FAILING.some((st) => count(s, st) > 0);
      const verdict = run.interrupted ? 'interrupted' : failed ? 'failed' : 'passed';
      $('runs').append(
        el('article', { class: `run ${verdict}`, 'data-run': i, 'data-total': total(s), 'data-pass': s.pass },
          el('h2', {}, run.label),
          run.label !== run.implementation ? el('p', { class: 'impl' }, run.implementation) : null,
          el('p', { class: 'verdict' }, `${verdict.toUpperCase()}: ${s.pass} of ${total(s)} cases pass`),
          el('p', { class: 'counts' }, ...counts),
          run.runError ? el('p', { class: 'run-error' }, run.runError) : null,
          el('p', { class: 'meta' }, `${(run.durationMs / 1000).toFixed(2)} s · ${run.started}${run.source ? ` · ${run.source}` : ''}`)));
    });
  }

  function opStats(op, column) {
    const results = data.cases.filter((c) => c.op === op).map((c) => c.results[column]).filter(Boolean);
    return { pass: results.filter((r) => r.status === 'pass').length, total: results.length, failing: results.filter((r) => FAILING.includes(r.status)).length };
  }

  function rateCell(pass, all, failing, attrs) {
    const rate = all ? Math.round((100 * pass) / all) : 0;
    const bar = el('span', { class: 'bar' }, el('span', { class: 'fill', style: `width:${rate}%` }));
    return el('td', { ...attrs, class: `rate${failing ? ' has-failing' : ''}`, 'data-pass': pass, 'data-total': all }, bar, all ? `${pass}/${all} (${rate}%)` : '—');
  }

  function opTable() {
    const table = $('ops');
    table.append(el('thead', {}, el('tr', {}, el('th', {}, 'op'), ...data.runs.map((r) => el('th', { scope: 'col' }, r.label)))));
    const body = el('tbody');
    for (const op of ops) {
      body.append(el('tr', { 'data-op': op }, el('th', { scope: 'row' }, op), ...data.runs.map((_, i) => {
        const st = opStats(op, i);
        return rateCell(st.pass, st.total, st.failing, { 'data-run': i });
      })));
    }
    table.append(body);
    const s = (i) => data.runs[i].summary;
    table.append(el('tfoot', {}, el('tr', { 'data-op': '' }, el('th', { scope: 'row' }, 'total'),
      ...data.runs.map((_, i) => rateCell(s(i).pass, total(s(i)), s(i).fail + s(i).error + s(i).xpass, { 'data-run': i })))));
  }

  function filters() {
    for (const op of ops) $('filter-op').append(el('option', { value: op }, op));
    for (const f of features) $('filter-feature').append(el('option', { value: f }, f));
    const present = STATUSES.filter((st) => data.cases.some((c) => c.results.some((r) => r && r.status === st)));
    for (const st of ['failing', ...present]) $('filter-status').append(el('option', { value: st }, st === 'failing' ? 'failing (fail, error, xpass)' : st));
    if (data.runs.length > 1) $('filter-status').append(el('option', { value: 'differ' }, 'implementations differ'));
    for (const id of ['filter-op', 'filter-feature', 'filter-status', 'filter-id']) $(id).addEventListener('input', applyFilters);
  }

  function matches(c, f) {
    const statuses = c.results.filter(Boolean).map((r) => r.status);
    if (f.op && c.op !== f.op) return false;
    if (f.feature && !c.features.includes(f.feature)) return false;
    if (f.id && !c.id.includes(f.id)) return false;
    if (f.status === 'failing') return statuses.some((s) => FAILING.includes(s));
    if (f.status === 'differ') return new Set(statuses).size > 1;
    return !f.status || statuses.includes(f.status);
  }

  function applyFilters() {
    const f = { op: $('filter-op').value, feature: $('filter-feature').value, status: $('filter-status').value, id: $('filter-id').value.trim() };
    let shown = 0;
    for (const row of document.querySelectorAll('#matrix tr.case')) {
      const ok = matches(data.cases[Number(row.dataset.case)], f);
      row.hidden = !ok;
      if (ok) shown++;
    }
    for (const row of document.querySelectorAll('#matrix tr.op-group')) {
      row.hidden = !document.querySelector(`#matrix tr.case[data-op="${CSS.escape(row.dataset.op)}"]:not([hidden])`);
    }
    $('shown').textContent = `${shown} of ${data.cases.length} cases shown`;
    $('shown').dataset.shown = shown;
  }

  function matrix() {
    const table = $('matrix');
    table.append(el('thead', {}, el('tr', {}, el('th', {}, 'case'), ...data.runs.map((r) => el('th', { scope: 'col' }, r.label)))));
    const body = el('tbody');
    let lastOp;
    data.cases.forEach((c, ci) => {
      if (c.op !== lastOp) {
        lastOp = c.op;
        body.append(el('tr', { class: 'op-group', 'data-op': c.op }, el('th', { scope: 'rowgroup' }, c.op),
          ...data.runs.map((_, i) => { const st = opStats(c.op, i); return el('td', { class: 'op-rate' }, st.total ? `${st.pass}/${st.total}` : ''); })));
      }
      body.append(el('tr', { class: 'case', 'data-case': ci, 'data-op': c.op, 'data-id': c.id },
        el('th', { scope: 'row', title: c.features.join(', ') }, c.id),
        ...c.results.map((r, ri) => r
          ? el('td', { class: `cell status-${r.status}`, 'data-status': r.status, 'data-run': ri, tabindex: 0, role: 'button', title: `${data.runs[ri].label}: ${r.status}` }, SYMBOL[r.status])
          : el('td', { class: 'cell absent', title: `${data.runs[ri].label}: not in this run` }, ''))));
    });
    table.append(body);
    const open = (event) => {
      const cell = event.target.closest('td.cell[data-status]');
      if (!cell || (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ')) return;
      event.preventDefault();
      showDetail(Number(cell.parentElement.dataset.case), Number(cell.dataset.run));
    };
    table.addEventListener('click', open);
    table.addEventListener('keydown', open);
  }

  function fmt(v) {
    return typeof v === 'number' ? String(Number(v.toPrecision(7))) : v === undefined || v === null ? '' : String(v);
  }

  function failureTable(failures) {
    const head = ['tensor', 'what', 'worst element', 'expected', 'actual', '|Δ|', '|Δ|/|e|', 'tolerance', 'elements differ'];
    return el('table', { class: 'failures' },
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
      el('tbody', {}, ...failures.flatMap((f) => [failureRow(f), f.hint ? el('tr', { class: 'hint' }, el('td', { colspan: head.length }, `hint: ${f.hint}`)) : null])));
  }

  function failureRow(f) {
    const w = f.worst;
    const tensor = el('td', {}, `[${f.stage}] ${f.label}`);
    // Shape, dtype, missing, mutated: no element to show, the detail says what is wrong.
    if (!w) return el('tr', { class: 'failure' }, tensor, el('td', {}, f.kind), el('td', { colspan: 7 }, f.detail));
    return el('tr', { class: 'failure' },
      tensor,
      el('td', { title: f.detail }, f.kind),
      el('td', {}, w.index.length ? `${f.label}[${w.index.join(',')}]` : `${f.label} (scalar)`),
      el('td', { class: 'num expected' }, fmt(w.expected)),
      el('td', { class: 'num actual' }, fmt(w.actual)),
      el('td', { class: 'num' }, fmt(w.absError)),
      el('td', { class: 'num' }, fmt(w.relError)),
      el('td', {}, f.tolerance ? `atol ${f.tolerance.atol} + rtol ${f.tolerance.rtol}·|e|` : ''),
      el('td', { class: 'num' }, f.total !== undefined ? `${f.mismatched}/${f.total}` : ''));
  }

  /** One case's result in one run: status, rule, message, failing tensors, hint, the command to rerun it. */
  function detail(c, run, r) {
    const rule = c.specHref ? el('a', { href: c.specHref }, c.spec) : el('code', {}, c.spec);
    const repro = r.repro || (data.kind === 'dashboard' && run.source ? `add --id '${c.id}' to the command that wrote ${run.source}` : null);
    return el('div', { class: 'case-detail', 'data-id': c.id, 'data-run-label': run.label },
      el('h3', {}, el('span', { class: `badge status-${r.status}` }, r.status.toUpperCase()), ' ', c.id),
      el('p', { class: 'impl' }, `${run.label} · ${fmt(r.durationMs)} ms`),
      el('p', {}, 'rule: ', rule, c.features.length ? ` · features: ${c.features.join(', ')}` : ''),
      r.reason ? el('p', { class: 'reason' }, `reason: ${r.reason}${r.expectation ? ` [${r.expectation}]` : ''}`) : null,
      r.failures.length ? failureTable(r.failures) : null,
      el('pre', { class: 'message' }, r.message),
      repro ? el('p', { class: 'repro' }, 'repro: ', el('code', {}, repro)) : null);
  }

  function showDetail(caseIndex, runIndex) {
    const c = data.cases[caseIndex];
    $('detail-body').replaceChildren(detail(c, data.runs[runIndex], c.results[runIndex]));
    $('detail').hidden = false;
    $('detail-close').focus();
  }

  function failureList() {
    const items = [];
    data.cases.forEach((c) => c.results.forEach((r, ri) => { if (r && FAILING.includes(r.status)) items.push(detail(c, data.runs[ri], r)); }));
    if (data.kind !== 'report') return;
    $('failures-section').hidden = false;
    $('failures-heading').textContent = `Failures (${items.length})`;
    $('failures').append(...(items.length ? items : [el('p', {}, 'No failures.')]));
  }

  header();
  runCards();
  opTable();
  filters();
  matrix();
  failureList();
  applyFilters();
  $('detail-close').addEventListener('click', () => { $('detail').hidden = true; });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') $('detail').hidden = true; });
})();
