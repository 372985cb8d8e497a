// The words the scripts show, in the page's language. The server writes them into
// <script type="application/json" id="lms-words"> on every page (lms.templating.JS_WORDS);
// a script asks for one by its key and gives its English, used if the block is missing.
let words = {};
try {
  words = JSON.parse(document.getElementById('lms-words')?.textContent || '{}') || {};
} catch {
  words = {};  // never let a broken block stop a script: English it is
}

// word('reflection-saved', 'Draft saved at %(time)s.', { time: '10:30' })
export const word = (key, english, values = {}) =>
  (typeof words[key] === 'string' && words[key] ? words[key] : english).replace(
    /%\((\w+)\)s/g,
    (placeholder, name) => (name in values ? String(values[name]) : placeholder),
  );
