// The test grid from the keyboard: a roving tab stop over the attribute cells, single keys that mark and save at
// once, and each cell saying whether its save worked. Loaded only on a workpaper that the user may mark.

const grid = () => document.getElementById('grid');
const token = () => JSON.parse(document.body.getAttribute('hx-headers') || '{}')['x-csrf-token'] || '';
const cells = () => [...grid().querySelectorAll('td.cell')];
/** Saves waiting for an answer, by cell id: a second mark on the same cell waits for the first. */
const inFlight = new Map();

document.documentElement.classList.add('js');

function announce(text) {
  const status = document.getElementById('grid-status');
  if (status) status.textContent = text;
}

function activate(cell, focus = true) {
  for (const c of grid().querySelectorAll('td.cell[tabindex="0"]')) c.tabIndex = -1;
  cell.tabIndex = 0;
  if (focus) cell.focus();
}

function neighbour(cell, dRow, dCol) {
  const row = cell.parentElement;
  if (dCol) {
    const inRow = [...row.querySelectorAll('td.cell')];
    return inRow[inRow.indexOf(cell) + dCol] ?? null;
  }
  const rows = [...grid().tBodies[0].rows];
  const target = rows[rows.indexOf(row) + dRow];
  if (!target) return null;
  const col = [...row.querySelectorAll('td.cell')].indexOf(cell);
  return target.querySelectorAll('td.cell')[col] ?? null;
}

/** The next cell in reading order: along the row, then the first cell of the next row. */
function nextCell(cell) {
  const all = cells();
  return all[all.indexOf(cell) + 1] ?? null;
}

function showPending(cell, result, text, state) {
  cell.classList.remove('state-saved', 'state-conflict', 'state-refused', 'state-saving', 'state-failed');
  cell.classList.add(`state-${state}`);
  cell.dataset.pending = result ?? '';
  let badge = cell.querySelector('.cell-state');
  if (!badge) {
    badge = document.createElement('span');
    badge.className = 'cell-state';
    cell.append(' ', badge);
  }
  badge.textContent = text;
}

const LABEL = { pass: 'Pass', exception: 'Exception', na: 'N/A', '': 'clear' };

async function send(id, result, naReason) {
  const cell = document.getElementById(id);
  const body = new URLSearchParams({
    item: cell.dataset.item,
    attribute: cell.dataset.attribute,
    result: result ?? '',
    naReason: naReason ?? '',
    version: cell.dataset.version,
  });
  let response;
  try {
    response = await fetch(grid().dataset.saveUrl, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'x-csrf-token': token(), 'HX-Request': 'true' },
    });
  } catch {
    response = null;
  }
  const current = document.getElementById(id);
  const html = response ? await response.text() : '';
  if (!response || !html.trimStart().startsWith('<td')) {
    showPending(current, result, `⚠ Not saved (${LABEL[result ?? '']}): press the key again to retry`, 'failed');
    announce(`${current.dataset.key} ${current.dataset.attribute}: not saved`);
    return false;
  }
  const hadFocus = document.activeElement === current;
  const wasActive = current.tabIndex === 0;
  current.outerHTML = html;
  const fresh = document.getElementById(id);
  if (wasActive) activate(fresh, hadFocus);
  announce(`${fresh.dataset.key} ${fresh.dataset.attribute}: ${fresh.querySelector('.cell-state')?.textContent ?? ''}`);
  if (response.ok) document.body.dispatchEvent(new Event('workpaper-changed'));
  return response.ok;
}

/** Marks a cell and saves it, after any save of the same cell still on its way. */
function mark(cell, result, naReason) {
  showPending(cell, result, `Saving ${LABEL[result ?? '']}…`, 'saving');
  const id = cell.id;
  const previous = inFlight.get(id) ?? Promise.resolve();
  const saving = previous.then(() => send(id, result, naReason));
  inFlight.set(id, saving);
  saving.finally(() => inFlight.get(id) === saving && inFlight.delete(id));
  return saving;
}

const settled = () => Promise.all(inFlight.values());

function askReason(cell) {
  const dialog = document.getElementById('na-dialog');
  const input = dialog.querySelector('input');
  input.value = '';
  dialog.querySelector('label').textContent =
    `Why is attribute ${cell.dataset.attribute} not applicable to ${cell.dataset.key}?`;
  dialog.returnValue = '';
  dialog.addEventListener(
    'close',
    () => {
      if (dialog.returnValue === 'save' && input.value.trim()) {
        mark(cell, 'na', input.value.trim());
        const next = nextCell(cell);
        activate(next ?? cell);
      } else activate(cell);
    },
    { once: true },
  );
  dialog.showModal();
}

async function openRecord(cell, path) {
  await settled();
  window.location.href = `${grid().dataset.itemsUrl}${cell.dataset.item}${path}`;
}

async function passBlank(cell, target) {
  await settled();
  const page = grid().dataset.page;
  const body = new URLSearchParams(
    target === 'row' ? { item: cell.dataset.item } : { attribute: cell.dataset.attribute, ...(page ? { page } : {}) },
  );
  const id = cell.id;
  const response = await fetch(grid().dataset.bulkUrl, {
    method: 'POST',
    body,
    credentials: 'same-origin',
    headers: { 'x-csrf-token': token(), 'HX-Request': 'true' },
  }).catch(() => null);
  if (!response?.ok) return announce('The blank cells could not be marked: reload the page and try again.');
  const section = document.getElementById('grid-section');
  section.outerHTML = await response.text();
  const again = document.getElementById(id);
  if (again) activate(again);
  announce(document.getElementById('grid-section')?.dataset.message ?? 'Blank cells marked as passed.');
  document.body.dispatchEvent(new Event('workpaper-changed'));
}

const MOVES = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

/** A long grid comes a page at a time: going past its first or last row, or Page Up / Page Down, turns the
 * page, keeping the attribute, once the marks still on their way are saved. */
async function turnPage(cell, direction) {
  const url = grid().dataset[direction === 'next' ? 'nextUrl' : 'prevUrl'];
  if (!url) return false;
  await settled();
  window.location.href = `${url}#grid-${direction === 'next' ? 'first' : 'last'}-${cell.dataset.attribute}`;
  return true;
}

function leavesPage(cell, dRow) {
  const rows = [...grid().tBodies[0].rows];
  const at = rows.indexOf(cell.parentElement);
  return (dRow > 0 && at === rows.length - 1) || (dRow < 0 && at === 0);
}

async function onKey(event) {
  const cell = event.target.closest?.('td.cell');
  if (!cell || !grid()?.contains(cell) || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (MOVES[event.key]) {
    const [dRow, dCol] = MOVES[event.key];
    const to = neighbour(cell, dRow, dCol);
    if (to) activate(to);
    else if (dRow && leavesPage(cell, dRow)) turnPage(cell, dRow > 0 ? 'next' : 'prev');
  } else if (event.key === 'PageDown' || event.key === 'PageUp') {
    turnPage(cell, event.key === 'PageDown' ? 'next' : 'prev');
  } else if (event.shiftKey && (key === 'p' || key === 'c')) {
    passBlank(cell, key === 'p' ? 'row' : 'column');
  } else if (key === 'p') {
    mark(cell, 'pass');
    activate(nextCell(cell) ?? cell);
  } else if (key === 'x' || key === 'e') {
    if (await mark(cell, 'exception')) openRecord(cell, `/exceptions/${cell.dataset.attribute}`);
  } else if (key === 'n') {
    askReason(cell);
  } else if (key === 'Delete' || key === 'Backspace') {
    mark(cell, null);
  } else if (key === 'Enter') {
    openRecord(cell, '');
  } else return;
  event.preventDefault();
}

document.addEventListener('keydown', onKey);
document.addEventListener('click', (event) => {
  const cell = event.target.closest?.('td.cell');
  if (cell && grid()?.contains(cell)) activate(cell);
});
// A form posted while marks are still on their way waits for them, so leaving the page loses nothing.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (event.defaultPrevented || inFlight.size === 0 || form.hasAttribute('hx-post') || form.method === 'dialog') return;
  event.preventDefault();
  settled().then(() => form.submit());
});

// Arriving with #cell-… (back from an item, or after an extension) puts the focus on that cell; with
// #grid-first-A or #grid-last-A (a page turned from the keyboard), on that attribute of the first or last row.
function arrivedAt(hash) {
  if (hash.startsWith('#cell-')) return document.getElementById(hash.slice(1));
  const turned = /^#grid-(first|last)-([A-Z])$/.exec(hash);
  if (!turned || !grid()) return null;
  const rows = [...grid().tBodies[0].rows];
  const row = turned[1] === 'first' ? rows[0] : rows[rows.length - 1];
  return row?.querySelector(`td.cell[data-attribute="${turned[2]}"]`) ?? null;
}
const arrived = arrivedAt(location.hash);
if (arrived?.matches('td.cell')) activate(arrived);
