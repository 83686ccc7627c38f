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
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
