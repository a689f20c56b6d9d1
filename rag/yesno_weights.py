"""Written by `python -m bench.yesno_fit --write` (do not edit): the logistic regression of
rag.answering.shaped.verdict.FEATURES -> P("yes"), fitted on MultiHop-RAG dev yes/no questions
(figures: bench/yesno_fit.py, bench/measured/issue25/yesno_fit.json)."""
FEATURES = ('asks_change', 'asks_same', 'asks_difference', 'negated', 'change_negated', 'same_negated', 'same_and_difference', 'claims', 'support_min', 'support_mean', 'contradicted', 'source_missing', 'best_score')
MEANS = (0.177239, 0.399254, 0.184701, 0.25, 0.057836, 0.102612, 0.01306, 1.43097, 0.240619, 0.296436, 0.136194, 0.016791, 0.472709)
SCALES = (0.381871, 0.489745, 0.388055, 0.433013, 0.233433, 0.303451, 0.11353, 0.572123, 0.150077, 0.154234, 0.342994, 0.128488, 0.064722)
WEIGHTS = (-0.002183, 0.075808, 0.260796, -0.299545, -0.329035, -0.407175, -0.095998, -0.215955, -0.524866, 0.653607, -0.157686, 0.019354, 0.085639)
BIAS = 0.211528
