// Articles panel: Open / Remove / confirm buttons ask the server, which checks the name against the index.
element.addEventListener("click", (e) => {
  const b = e.target.closest && e.target.closest(".rag-art-act");
  if (!b) return;
  trigger("click", { action: b.dataset.action, source: b.dataset.source });
});
