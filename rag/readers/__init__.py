"""Pure readers of text, below the answerers: what a question asks for (question_kind, cues, verbs, abstain), the
values and claims a sentence states (values, differences, claims) and the citation markers a text carries
(llm_markers). They import only rag's leaves (textspans, names, language, tuning, types), never rag.answering,
so the support check, the feature models and the conversation resolver can read with them too."""
