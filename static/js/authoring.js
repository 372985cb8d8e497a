// The step editor, progressive enhancement only: without this file the Preview button
// renders the preview on the server, and "Update fields" shows a new type's fields.

// Show the fields the chosen type uses, at once (a field with an error to fix stays shown).
const type = document.querySelector('.lms-editor select[name="type"]');
if (type) {
  const showFields = () => {
    document.querySelectorAll('.lms-editor [data-types]').forEach((field) => {
      field.hidden = !field.dataset.types.split(' ').includes(type.value) && !field.querySelector('.nhsuk-form-group--error');
    });
  };
  type.addEventListener('change', showFields);
  document.querySelectorAll('[data-update-fields]').forEach((button) => { button.hidden = true; });
}

// Live preview of the body as it is typed.
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
