"""Written by `python -m bench.support_fit --write` (do not edit): the logistic regression of
rag.support_features, fitted on the AttributionBench development set (figures: bench/support_fit.py)."""
FEATURES = ('token_recall', 'span_cosine', 'whole_cosine', 'span_coverage', 'whole_coverage', 'pair_coverage', 'claim_length', 'missing_numbers', 'missing_names')
MEANS = (0.722599, 0.696515, 0.627286, 0.506324, 0.589238, 0.299213, 2.486582, 0.060935, 0.091312)
SCALES = (0.157856, 0.167896, 0.191408, 0.265779, 0.261237, 0.299695, 0.392714, 0.228578, 0.248107)
WEIGHTS = (1.291521, -0.082455, 0.342699, 0.307039, -0.672303, 0.476638, 0.271858, -0.354261, 0.036306)
BIAS = -0.077591
