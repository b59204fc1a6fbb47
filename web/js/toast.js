// Toast notifications in an aria-live region; errors stay until dismissed or replaced.

const kAutoHideMs = 6000;

/** Shows a toast of kind 'error' | 'info' | 'success' with a title and message. */
export function toast(kind, title, message) {
  const region = document.getElementById('toasts');
  const item = document.createElement('div');
  item.className = `toast toast-${kind}`;
  item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  const text = document.createElement('div');
  text.className = 'toast-text';
  const strong = document.createElement('strong');
  strong.textContent = title;
  const body = document.createElement('span');
  body.className = 'toast-detail';
  body.textContent = message;
  text.append(strong, body);
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'toast-close';
  close.setAttribute('aria-label', 'Dismiss notification');
  close.textContent = '×';
  close.addEventListener('click', () => item.remove());
  item.append(text, close);
  region.append(item);
  while (region.children.length > 3) region.firstElementChild.remove();
  if (kind !== 'error') setTimeout(() => item.remove(), kAutoHideMs);
}
