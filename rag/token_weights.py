"""Written by `python -m bench.token_fit --write` (do not edit): weights of the prompt-token estimate
(rag.answering.llm_passages.tokens), a non-negative least-squares fit of the test model's tokenizer
on sentences of three corpora (figures: bench/measured/issue22/token_fit.json)."""
FEATURES = ('one', 'words', 'letters', 'other_words', 'other_letters', 'digits', 'puncts', 'symbols', 'wide')
WEIGHTS = (0.3419, 0.639, 0.0875, 1.3437, 0.6001, 1.2208, 1.0133, 1.0411, 0.7731)
