// Sources panel: "Open in article" asks the server for the viewer (the server checks the name against the corpus).
element.addEventListener("click", (e) => {
  const b = e.target.closest && e.target.closest(".rag-open");
  if (!b) return;
  trigger("click", { source: b.dataset.source, start: b.dataset.start, end: b.dataset.end, turn: b.dataset.turn });
});
