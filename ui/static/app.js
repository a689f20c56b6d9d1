// Page behaviour for citations. Installed once. It never builds HTML from strings: the popover is a clone of
// nodes the server already escaped, so document text stays inert.
(() => {
  if (window.__ragUi) return;
  window.__ragUi = true;
  const pop = document.createElement("div");
  pop.id = "rag-popover";
  pop.setAttribute("role", "tooltip");
  pop.hidden = true;
  document.body.appendChild(pop);
  let pinned = null;

  function place(chip) {
    const r = chip.getBoundingClientRect();
    const w = Math.min(440, window.innerWidth - 16);
    pop.style.width = w + "px";
    pop.style.left = Math.max(8, Math.min(r.left - 24, window.innerWidth - w - 8)) + "px";
    const h = pop.offsetHeight;
    let top = r.bottom + 6;
    if (top + h > window.innerHeight - 8) top = Math.max(8, r.top - h - 6);
    pop.style.top = top + "px";
  }
  // The sentence a marker belongs to: the nearest .rag-sent before it (several markers may follow one sentence).
  function sentenceOf(chip) {
    let node = chip.previousElementSibling;
    while (node && !node.classList.contains("rag-sent")) node = node.previousElementSibling;
    return node;
  }
  function light(chip, on) {
    document.querySelectorAll(".rag-sent.lit").forEach((s) => s.classList.remove("lit"));
    const sentence = on && chip ? sentenceOf(chip) : null;
    if (sentence) sentence.classList.add("lit");
  }
  function show(chip) {
    const src = chip.querySelector(".rag-pop");
    if (!src) return;
    pop.replaceChildren(...Array.from(src.cloneNode(true).childNodes));
    pop.hidden = false;
    place(chip);
    light(chip, true);
  }
  function hide() {
    pop.hidden = true;
    light(null, false);
    if (pinned) pinned.classList.remove("pinned");
    pinned = null;
  }
  function panel() { return document.querySelector("#rag-sources .rag-panel"); }
  function activateTurn(p, turn) {
    p.querySelectorAll(".rag-turn").forEach((s) => s.classList.toggle("active", s.dataset.turn === turn));
    p.querySelectorAll(".rag-turn-btn").forEach((b) => b.classList.toggle("active", b.dataset.turn === turn));
  }
  function focusSource(turn, marker) {
    const p = panel();
    if (!p) return;
    activateTurn(p, turn);
    const sel = `.rag-turn[data-turn="${CSS.escape(turn)}"] .rag-passage[data-marker="${CSS.escape(marker)}"]`;
    const item = p.querySelector(sel);
    if (!item) return;
    p.querySelectorAll(".rag-passage.selected").forEach((x) => x.classList.remove("selected", "flash"));
    item.classList.add("selected", "flash");
    setTimeout(() => item.classList.remove("flash"), 1200);
    item.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
  function chipOf(target) { return target && target.closest ? target.closest(".rag-cite") : null; }
  // The chat sanitizer keeps classes only, so a marker's turn and number are read from "rag-t-N rag-m-N".
  function key(chip, name) { const m = new RegExp("\\brag-" + name + "-(\\d+)\\b").exec(chip.className); return m ? m[1] : ""; }

  document.addEventListener("mouseover", (e) => {
    const chip = chipOf(e.target);
    if (chip && !pinned) show(chip);
  });
  document.addEventListener("mouseout", (e) => {
    const chip = chipOf(e.target);
    if (chip && !pinned && !chip.contains(e.relatedTarget)) { pop.hidden = true; light(null, false); }
  });
  document.addEventListener("click", (e) => {
    const chip = chipOf(e.target);
    if (chip) {
      e.preventDefault();
      if (pinned) pinned.classList.remove("pinned");
      pinned = chip;
      chip.classList.add("pinned");
      show(chip);
      focusSource(key(chip, "t"), key(chip, "m"));
      return;
    }
    const nav = e.target.closest && e.target.closest(".rag-turn-btn");
    if (nav && panel()) activateTurn(panel(), nav.dataset.turn);
    if (!(e.target.closest && e.target.closest("#rag-popover"))) hide();
  });
  document.addEventListener("keydown", (e) => {
    const chip = chipOf(e.target);
    if (chip && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); chip.click(); }
    if (e.key === "Escape") hide();
  });
  window.addEventListener("scroll", () => { if (!pop.hidden && pinned) place(pinned); }, true);
})();
