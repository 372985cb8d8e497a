// Autosave a reflection as a draft while the learner types: progressive enhancement
// only (the Save button does the same without JavaScript).
for (const form of document.querySelectorAll('form[data-autosave-url]')) {
  const status = form.querySelector('[data-autosave-status]');
  let timer;
  const save = async () => {
    const response = await fetch(form.dataset.autosaveUrl, { method: 'POST', body: new FormData(form), credentials: 'same-origin' });
    const result = await response.json().catch(() => ({ error: 'Not saved: please use the Save button.' }));
    if (status) status.textContent = response.ok ? `Draft saved at ${result.saved_at} (UTC).` : result.error;
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
}
