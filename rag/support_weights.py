"""Written by `python -m bench.support_fit --write` (do not edit): the logistic regression of
rag.support_features, fitted on the AttributionBench development set (figures: bench/support_fit.py)."""
FEATURES = ('token_recall', 'span_cosine', 'whole_cosine', 'span_coverage', 'whole_coverage', 'pair_coverage', 'claim_length', 'missing_numbers', 'missing_names')
MEANS = (0.707545, 0.696515, 0.627286, 0.506324, 0.589238, 0.299213, 2.486582, 0.060935, 0.091312)
SCALES = (0.154829, 0.167896, 0.191408, 0.265779, 0.261237, 0.299695, 0.392714, 0.228578, 0.248107)
WEIGHTS = (1.119926, 0.139299, 0.147854, 0.356476, -0.608436, 0.491349, 0.257793, -0.357028, 0.022885)
BIAS = -0.059761
