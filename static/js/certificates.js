// Progressive enhancement: a "Print or save as PDF" button where JavaScript can print.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
