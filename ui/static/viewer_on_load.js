// Source viewer: scroll the cited span into view when an article opens; close on the button, backdrop or Escape.
function box() { return element.querySelector(".rag-viewer"); }
function close() { const v = box(); if (v) v.classList.remove("open"); }
function reveal() {
  const hit = element.querySelector("#rag-hit");
  const body = element.querySelector(".rag-viewer-body");
  if (!hit || !body) return;
  const offset = hit.getBoundingClientRect().top - body.getBoundingClientRect().top;
  body.scrollTop += offset - body.clientHeight / 3;
  const closeBtn = element.querySelector(".rag-viewer-close");
  if (closeBtn) closeBtn.focus({ preventScroll: true });
}
element.addEventListener("click", (e) => {
  if (e.target.closest && (e.target.closest(".rag-viewer-close") || e.target.classList.contains("rag-viewer-backdrop"))) close();
});
document.addEventListener("keydown", (e) => { if (e.key === "Escape") close(); });
watch("value", () => requestAnimationFrame(reveal));
