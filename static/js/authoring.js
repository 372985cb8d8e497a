// Live preview for the step editor: progressive enhancement only. Without it, the
// Preview button renders the same preview on the server.
const panel = document.querySelector('[data-preview-url]');
const body = document.querySelector('textarea[name="body"]');
const token = document.querySelector('input[name="csrf_token"]');

if (panel && body && token) {
  const target = document.getElementById('preview');
  let timer;
  const refresh = async () => {
    const data = new FormData();
    data.append('body', body.value);
    data.append('csrf_token', token.value);
    const response = await fetch(panel.dataset.previewUrl, { method: 'POST', body: data, credentials: 'same-origin', redirect: 'manual' });
    // A redirect is to sign in (the sign-in ended): never show that page as the preview.
    if (response.ok && response.type !== 'opaqueredirect') target.innerHTML = await response.text();  // sanitised on the server
  };
  body.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
}
