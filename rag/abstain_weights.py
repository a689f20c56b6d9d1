"""Written by `python -m bench.answer_fit --write` (do not edit): the logistic regression of
rag.abstain_features over the development questions no corpus rule declines (answerable ones, unanswerable
ones, built on-topic negatives).

Abstention as shipped (relevance < 0.35, or this model's chance < 0.015), share declined,
leave-one-dataset-out:
  seeds          answerable 0.000 of 38, unanswerable 0.727 of 11, built 0.118 of 34
  conversations  answerable 0.000 of 30, unanswerable 1.000 of 3, built 0.138 of 29
  multihop       answerable 0.019 of 1110, unanswerable 0.923 of 168, built 0.062 of 807
  ramdocs        answerable 0.040 of 250, built 0.180 of 244
"""
FEATURES = ('best_logit', 'top3_logit', 'best_cosine', 'best_coverage', 'kind_stated_top', 'kind_missing_top', 'names_missing', 'year_missing', 'predicate_coverage', 'files_near_best', 'score_gap', 'cosine_gap', 'answer_shape', 'top_cosine', 'top_coverage', 'top_window_coverage', 'top_kind_stated', 'top_kind_missing', 'top_speech_cue', 'top_period_cue', 'top_list_cue', 'top_repeat', 'top_beside_repeat', 'top_corroboration')
MEANS = (1.844977, 1.393994, 0.633999, 0.364672, 0.403889, 0.010163, 0.428482, 0.121962, 0.268206, 1.219248, 1.903673, 0.164675, 0.269569, 0.593347, 0.26805, 0.317135, 0.395051, 0.019001, 0.074238, 0.005745, 0.008838, 0.011489, 0.000167, 0.599812)
SCALES = (1.4985, 1.267826, 0.085892, 0.243962, 0.490676, 0.100301, 0.330557, 0.327242, 0.257814, 0.381635, 1.421951, 0.079381, 0.251897, 0.101809, 0.22393, 0.247709, 0.488862, 0.136529, 0.262157, 0.075575, 0.093593, 0.10657, 0.007935, 0.184239)
WEIGHTS = (-0.38017, 1.869436, 0.250952, -1.453904, -0.432434, -0.040752, 0.225201, -0.06564, 0.052113, 0.225415, 1.133273, -0.227583, 0.008054, -0.211501, 0.849114, -0.371971, -0.491297, 0.175085, -0.234427, -0.370341, -0.458806, 0.05908, 0.194039, 0.007378)
BIAS = -0.527519
