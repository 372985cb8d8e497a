// Keep an unsent comment in this tab while the learner writes, so an hour's reflection
// survives a reload or a wrong click away. sessionStorage, not localStorage: NHS staff
// often share computers, and a draft must not outlive the tab. Progressive enhancement
// only: the server already gives a refused comment back in its box.
import { word } from './words.js';

const PREFIX = 'lms-comment-draft:';

for (const box of document.querySelectorAll('textarea[data-draft-key]')) {
  const key = PREFIX + box.dataset.draftKey;
  let saved = null;
  try { saved = window.sessionStorage.getItem(key); } catch { continue; }  // storage blocked
  if (saved && !box.value) {
    box.value = saved;
    const note = document.createElement('p');
    note.className = 'nhsuk-body-s lms-muted';
    note.textContent = word('comment-kept', 'We kept the comment you had not sent yet.');
    box.insertAdjacentElement('beforebegin', note);
    const details = box.closest('details');
    if (details) details.open = true;
  }
  box.addEventListener('input', () => {
    try { window.sessionStorage.setItem(key, box.value); } catch { /* full or blocked: nothing lost server-side */ }
  });
  box.form?.addEventListener('submit', () => {
    try { window.sessionStorage.removeItem(key); } catch { /* ignore */ }
  });
}
