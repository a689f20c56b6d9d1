"""Written by `python -m bench.yesno_fit --write` (do not edit): the logistic regression of
rag.answering.shaped.verdict.FEATURES -> P("yes"), fitted on MultiHop-RAG dev yes/no questions
(figures: bench/yesno_fit.py, bench/measured/issue25/yesno_fit.json)."""
FEATURES = ('asks_change', 'asks_same', 'asks_difference', 'negated', 'absolute', 'change_negated', 'same_negated', 'same_and_difference', 'claims', 'support_min', 'support_mean', 'contradicted', 'source_missing', 'best_score')
MEANS = (0.177122, 0.402214, 0.182657, 0.258303, 0.073801, 0.059041, 0.108856, 0.012915, 1.429889, 0.244587, 0.300364, 0.245387, 0.01845, 0.473607)
SCALES = (0.381772, 0.490345, 0.386385, 0.437701, 0.261446, 0.235701, 0.311459, 0.112908, 0.571196, 0.154064, 0.15795, 0.430317, 0.134573, 0.065296)
WEIGHTS = (0.010876, 0.078843, 0.260633, -0.183331, -0.06573, -0.36739, -0.482785, -0.094781, -0.183471, -0.499123, 0.658551, -0.123614, 0.043858, 0.092516)
BIAS = 0.206442
