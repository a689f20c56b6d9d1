"""Written by `python -m bench.yesno_fit --write` (do not edit): the logistic regression of
rag.answering.shaped.verdict.FEATURES -> P("yes"), fitted on MultiHop-RAG dev yes/no questions
(figures: bench/yesno_fit.py, bench/measured/issue25/yesno_fit.json)."""
FEATURES = ('asks_change', 'asks_same', 'asks_difference', 'negated', 'absolute', 'change_negated', 'same_negated', 'same_and_difference', 'claims', 'support_min', 'support_mean', 'contradicted', 'source_missing', 'best_score')
MEANS = (0.173489, 0.346979, 0.245614, 0.208577, 0.076023, 0.060429, 0.052632, 0.02924, 1.454191, 0.273286, 0.332649, 0.243665, 0.019493, 0.471445)
SCALES = (0.37867, 0.476009, 0.430451, 0.406291, 0.265036, 0.23828, 0.223297, 0.168478, 0.577643, 0.162051, 0.160951, 0.429293, 0.13825, 0.065209)
WEIGHTS = (0.097993, 0.122458, 0.084076, -0.116088, -0.089038, -0.441396, -0.172548, -0.349877, -0.092358, -0.518825, 0.649235, -0.114211, 0.044378, 0.056666)
BIAS = 0.230303
