"""Written by `python -m bench.answer_fit --write` (do not edit): the logistic regression of
rag.abstain_features over the development questions no corpus rule declines (answerable ones, unanswerable
ones, built on-topic negatives).

Abstention as shipped (relevance < 0.35, or this model's chance < 0.015), share declined,
leave-one-dataset-out:
  seeds          answerable 0.000 of 38, unanswerable 0.727 of 11, built 0.118 of 34
  conversations  answerable 0.000 of 30, unanswerable 1.000 of 3, built 0.138 of 29
  multihop       answerable 0.018 of 1110, unanswerable 0.923 of 168, built 0.055 of 817
  ramdocs        answerable 0.044 of 250, built 0.225 of 244
"""
FEATURES = ('best_logit', 'top3_logit', 'best_cosine', 'best_coverage', 'kind_stated_top', 'kind_missing_top', 'names_missing', 'year_missing', 'predicate_coverage', 'files_near_best', 'score_gap', 'cosine_gap', 'answer_shape', 'top_cosine', 'top_coverage', 'top_window_coverage', 'top_kind_stated', 'top_kind_missing', 'top_speech_cue', 'top_period_cue', 'top_list_cue', 'top_repeat', 'top_beside_repeat', 'top_corroboration')
MEANS = (1.928373, 1.462513, 0.632512, 0.363657, 0.409411, 0.006596, 0.433553, 0.120053, 0.264133, 1.212438, 1.974155, 0.165696, 0.267248, 0.593247, 0.262783, 0.313624, 0.399296, 0.016711, 0.075638, 0.005717, 0.008795, 0.012753, 0.000166, 0.629713)
SCALES = (1.498397, 1.276721, 0.086248, 0.242221, 0.491725, 0.080949, 0.331945, 0.325023, 0.255939, 0.379731, 1.403091, 0.073712, 0.250857, 0.101204, 0.221769, 0.245321, 0.489754, 0.128185, 0.264417, 0.075393, 0.093369, 0.112206, 0.007916, 0.154734)
WEIGHTS = (-0.419345, 2.035059, 0.251389, -1.424401, -0.476936, 0.047232, 0.186591, -0.053219, 0.033416, 0.21155, 1.125603, -0.247657, 0.011321, -0.238929, 0.804791, -0.425105, -0.504873, 0.129231, -0.232074, -0.402237, -0.470742, 0.083023, 0.193187, 0.055323)
BIAS = -0.537385
