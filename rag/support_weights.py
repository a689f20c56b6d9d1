"""Written by `python -m bench.support_fit --write` (do not edit): the logistic regression of
rag.support_features, fitted on the AttributionBench development set (figures: bench/support_fit.py)."""
FEATURES = ('token_recall', 'span_cosine', 'whole_cosine', 'span_coverage', 'whole_coverage', 'pair_coverage', 'claim_length', 'missing_numbers', 'missing_names', 'unstated_words', 'unstated_verb', 'unmatched_name')
MEANS = (0.722599, 0.696515, 0.627286, 0.506324, 0.589238, 0.299213, 2.486582, 0.060935, 0.088983, 0.22355, 0.852097, 0.906566)
SCALES = (0.157856, 0.167896, 0.191408, 0.265779, 0.261237, 0.299695, 0.392714, 0.228578, 0.243713, 0.175237, 0.251525, 0.233587)
WEIGHTS = (1.09982, -0.096221, 0.401359, 0.402321, -0.928203, 0.553811, 0.217954, -0.368537, -0.077373, -0.376869, -0.129928, -0.004133)
BIAS = -0.048529
