"""Placeholder until `python -m bench.yesno_fit --write` (the old rule: yes when every claim is supported, no when
one is contradicted by a passage about it)."""
FEATURES = ('all_supported', 'contradicted_about')
MEANS = (0.0, 0.0)
SCALES = (1.0, 1.0)
WEIGHTS = (4.0, -8.0)
BIAS = -2.0
