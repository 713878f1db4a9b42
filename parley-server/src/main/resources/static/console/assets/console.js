// The console's one script module. htmx requests carry the CSRF token in a header (forms carry it
// as a hidden field already); the layout puts header name and token in <meta> tags.
const header = document.querySelector('meta[name="csrf-header"]')?.content;
const token = document.querySelector('meta[name="csrf-token"]')?.content;

document.addEventListener('htmx:configRequest', (event) => {
  if (header && token) {
    event.detail.headers[header] = token;
  }
});

// After htmx swaps in a new page body, move focus to its heading so keyboard and screen-reader
// users land on the result (a message, or the first field with an error).
document.addEventListener('htmx:afterSettle', () => {
  const target = document.querySelector('main [aria-invalid="true"]') ?? document.querySelector('main h1');
  if (target) {
    if (!target.hasAttribute('tabindex') && target.tagName === 'H1') {
      target.setAttribute('tabindex', '-1');
    }
    target.focus();
  }
});

// Page modules load only where their page is.
if (document.getElementById('chat')?.dataset.reply) {
  import('./playground.js');
}
