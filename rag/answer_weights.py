"""Written by `python -m bench.answer_fit --write` (do not edit): the per-question softmax over
rag.answer_features of candidate sentences of the development sets (seeds gold, eval conversations,
MultiHop-RAG dev, RAMDocs dev), and the line mapping its scores onto the hand blend's scale.

Answer-sentence MRR / top-1 per dataset (hand blend, in-sample, 5-fold CV, leave-one-dataset-out):
  seeds          hand_blend 0.875/0.794, in_sample 0.893/0.824, cross_validated 0.879/0.794, leave_one_dataset_out 0.893/0.824
  conversations  hand_blend 0.822/0.655, in_sample 0.891/0.793, cross_validated 0.825/0.690, leave_one_dataset_out 0.885/0.793
  multihop       hand_blend 0.627/0.469, in_sample 0.667/0.523, cross_validated 0.667/0.523, leave_one_dataset_out 0.652/0.502
  ramdocs        hand_blend 0.791/0.672, in_sample 0.816/0.701, cross_validated 0.817/0.705, leave_one_dataset_out 0.806/0.693

Abstention as shipped (relevance < 0.35, or this model's chance < 0.015), share declined,
leave-one-dataset-out:
  seeds          answerable 0.000 of 38, unanswerable 0.727 of 11, built 0.118 of 34
  conversations  answerable 0.000 of 30, unanswerable 1.000 of 3, built 0.138 of 29
  multihop       answerable 0.019 of 1110, unanswerable 0.923 of 168, built 0.062 of 807
  ramdocs        answerable 0.040 of 250, built 0.180 of 244
"""
FEATURES = ('cosine', 'coverage', 'window_coverage', 'kind_stated', 'kind_missing', 'speech_cue', 'period_cue', 'list_cue', 'repeat', 'beside_repeat', 'corroboration')
MEANS = (0.461652, 0.09493, 0.146227, 0.286991, 0.116532, 0.013297, 0.000523, 0.002572, 0.001439, 9.9e-05, 0.562518)
SCALES = (0.149859, 0.138452, 0.175057, 0.452357, 0.320861, 0.114542, 0.022866, 0.050651, 0.037902, 0.007198, 0.202273)
WEIGHTS = (0.641683, 0.300349, 0.556181, 0.426054, -0.60066, 0.128368, 0.086391, 0.191336, 0.027499, 0.035056, -0.223227)
BIAS = 0.0
SCALE_SLOPE = 0.090547
SCALE_INTERCEPT = 0.33955
