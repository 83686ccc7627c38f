// Client behaviour lives here, not in inline handlers: the CSP allows no inline script.

// Close the engagement switcher when focus or a click leaves it.
document.addEventListener('click', (event) => {
  for (const details of document.querySelectorAll('.switcher details[open]')) {
    if (!details.contains(event.target)) details.removeAttribute('open');
  }
});

// Forms that destroy something ask first: <form data-confirm="Remove this control?">.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm))
    event.preventDefault();
});

// A save refused because someone else saved first (409) comes back with the form, the user's entries and what
// is stored now: show it like a refused form, instead of htmx's default of ignoring 4xx answers.
document.addEventListener('htmx:beforeSwap', (event) => {
  if (event.detail.xhr.status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After an inline section is swapped in, move focus into it so keyboard and screen-reader users follow.
// The section replaced itself (outerHTML), so it is found again by its id.
document.addEventListener('htmx:afterSettle', (event) => {
  const id = event.detail.target?.id;
  const section = id ? document.getElementById(id) : null;
  // A section refreshed in the background (data-keep-focus) must not pull focus away from where the user works.
  if (!section?.matches('section.card') || section.hasAttribute('data-keep-focus')) return;
  const invalid = section.querySelector('.field-error');
  const field = invalid
    ? invalid.closest('.field, fieldset')?.querySelector('input, select, textarea')
    : section.querySelector('form input:not([type=hidden]), form select, form textarea');
  const target = field || section.querySelector('h2');
  if (!(target instanceof HTMLElement)) return;
  if (!field) target.setAttribute('tabindex', '-1');
  target.focus();
});

// The printable workpaper's Print button: <button type="button" data-print>.
document.addEventListener('click', (event) => {
  if (event.target instanceof Element && event.target.closest('[data-print]')) window.print();
});
