"""Written by `python -m bench.answer_fit --write` (do not edit): the per-question softmax over
rag.answer_features of candidate sentences of the development sets (seeds gold, eval conversations,
MultiHop-RAG dev, RAMDocs dev), and the line mapping its scores onto the hand blend's scale.

Answer-sentence MRR / top-1 per dataset (hand blend, in-sample, 5-fold CV, leave-one-dataset-out):
  seeds          hand_blend 0.869/0.794, in_sample 0.893/0.824, cross_validated 0.878/0.794, leave_one_dataset_out 0.893/0.824
  conversations  hand_blend 0.822/0.655, in_sample 0.891/0.793, cross_validated 0.848/0.759, leave_one_dataset_out 0.882/0.793
  multihop       hand_blend 0.624/0.470, in_sample 0.658/0.513, cross_validated 0.661/0.518, leave_one_dataset_out 0.643/0.499
  ramdocs        hand_blend 0.794/0.676, in_sample 0.804/0.680, cross_validated 0.804/0.684, leave_one_dataset_out 0.791/0.668

Abstention as shipped (relevance < 0.35, or this model's chance < 0.015), share declined,
leave-one-dataset-out:
  seeds          answerable 0.000 of 38, unanswerable 0.727 of 11, built 0.118 of 34
  conversations  answerable 0.000 of 30, unanswerable 1.000 of 3, built 0.138 of 29
  multihop       answerable 0.018 of 1110, unanswerable 0.923 of 168, built 0.055 of 817
  ramdocs        answerable 0.044 of 250, built 0.225 of 244
"""
FEATURES = ('cosine', 'coverage', 'window_coverage', 'kind_stated', 'kind_missing', 'speech_cue', 'period_cue', 'list_cue', 'repeat', 'beside_repeat', 'corroboration')
MEANS = (0.460487, 0.090602, 0.138726, 0.274898, 0.121812, 0.012709, 0.000498, 0.00245, 0.001495, 9.6e-05, 0.608889)
SCALES = (0.148379, 0.133897, 0.170475, 0.446463, 0.327069, 0.112014, 0.022319, 0.049441, 0.038638, 0.006995, 0.175199)
WEIGHTS = (0.661058, 0.30901, 0.514094, 0.441302, -0.602396, 0.128579, 0.083805, 0.181846, 0.027641, 0.035293, -0.235586)
BIAS = 0.0
SCALE_SLOPE = 0.089115
SCALE_INTERCEPT = 0.33418
