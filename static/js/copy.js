// Progressive enhancement: a "Copy" button beside text a person could select and copy anyway.
import { word } from "./words.js";

for (const button of document.querySelectorAll("[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[data-copy-status]");
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      if (status) status.textContent = word("copied", "Link copied. Paste it into an email or message.");
    } catch {
      source.select(); // the clipboard refused (permissions): leave it selected to copy by hand
      if (status) status.textContent = word("copy-blocked", "Copying was blocked: the link is selected, so copy it with your keyboard.");
    }
  });
}
