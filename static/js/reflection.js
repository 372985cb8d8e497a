// Autosave a reflection as a draft while the learner types: progressive enhancement
// only (the Save button does the same without JavaScript). What the status says comes
// from the answer itself: a redirect (to sign in), a 401 or a page that is not JSON is
// never taken for "saved". The words are in the page's language (words.js).
import { word } from './words.js';

const SIGNED_OUT = word('reflection-signed-out', 'Not saved: your sign-in has ended. Your text is kept: select Save reflection to sign in again and carry on.');
const NOT_SAVED = word('reflection-not-saved', 'Not saved just now. Your text is still here: select Save reflection to save it.');
const OFFLINE = word('reflection-offline', 'Not saved: the connection was lost. Your text is still here; saving will try again as you type.');

const clock = (iso) => {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return null;
  return moment.toLocaleTimeString(document.documentElement.lang || 'en-GB', { hour: '2-digit', minute: '2-digit' });  // the learner's own time
};

const outcome = async (response) => {
  if (response.type === 'opaqueredirect' || response.redirected || response.status === 401) {
    const answer = await response.json().catch(() => ({}));
    return answer.error || SIGNED_OUT;
  }
  const json = (response.headers.get('Content-Type') || '').includes('application/json');
  const answer = json ? await response.json().catch(() => null) : null;
  if (response.ok && answer && clock(answer.saved_at)) return word('reflection-saved', 'Draft saved at %(time)s.', { time: clock(answer.saved_at) });
  return (answer && answer.error) || NOT_SAVED;
};

for (const form of document.querySelectorAll('form[data-autosave-url]')) {
  const status = form.querySelector('[data-autosave-status]');
  let timer;
  const save = async () => {
    let message;
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: 'POST',
        body: new FormData(form),
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
        redirect: 'manual',  // a redirect means signed out: never follow it and read the sign-in page as success
      });
      message = await outcome(response);
    } catch {
      message = OFFLINE;
    }
    if (status) status.textContent = message;
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
}
