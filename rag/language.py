"""English, in one place: the word lists the answering pipeline reads (function words, auxiliaries, pronouns,
verbs of saying, month and number words, currencies). Only the forms of the language: no list may name an
entity, a country or a topic of any corpus. Modules import what they need from here.

Example: ``"the" in STOPWORDS`` -> True.
"""

# ---- from rag.textspans
# Abbreviations after which a period does not end a sentence (lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr inc ltd co corp no vs etc approx est fig gen gov sen rep lt col "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m".split()
)

# Suffixes the crude stemmer (rag.textspans.stem) strips, longest first.
STEM_SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed", "s")

STOPWORDS = frozenset(
    "a an the of to in on for and or but is are was were be been being by with as at from that this "
    "these those it its which who whom whose what when where why how did does do has have had will "
    "would could should can may might than then there their they them he she his her we our you your "
    "i me my not no yes so if into about over under after before between during any all some such "
    "more most other also only much many".split()
)

# ---- from rag.readers.abstain; auxiliaries that open a question or follow its wh-word ("What *did* ..."), with
# the verb they are a form of and whether they are finite (open a clause: "Was ...?"). The copulas are be's finite
# forms ("What is the price of X": the asked-for phrase follows the copula).
AUXILIARY_VERBS = {
    "is": "be finite", "are": "be finite", "was": "be finite", "were": "be finite", "being": "be", "been": "be",
    "be": "be", "do": "do finite", "does": "do finite", "did": "do finite", "has": "have finite",
    "have": "have finite", "had": "have finite", "will": "modal finite", "would": "modal finite",
    "could": "modal finite", "can": "modal finite", "should": "modal finite", "might": "modal finite",
    "may": "modal finite", "must": "modal finite", "shall": "modal finite",
}
AUXILIARIES = frozenset(AUXILIARY_VERBS)
FINITE_AUXILIARIES = frozenset(w for w, use in AUXILIARY_VERBS.items() if "finite" in use.split())
COPULAS = frozenset(w for w, use in AUXILIARY_VERBS.items() if use == "be finite")

# Words that say what kind of thing is asked for without naming it: their absence proves nothing.
GENERIC_FOCUS = frozenset(
    "share proportion percentage percent fraction portion part amount number figure figures level extent degree "
    "role kind type sort way ways reason reasons cause causes effect effects impact impacts date day year years "
    "month months time times period depth size rate value output total far long much many often step steps "
    "measure measures action actions condition conditions happen happened thing things event events item items "
    "factor factors purpose example examples detail details name names term terms estimate estimates other "
    "else besides apart".split())

LIGHT_VERBS = frozenset("go goes went come comes came say says said mean means make makes made take takes took "
                        "get gets got hold holds held cost costs give gives gave".split())

# ---- from rag.readers.question_kind
# What "what N is ..." reads as N that names no kind of thing: a finite auxiliary ("What is ...") or a generic noun.
AUX_OR_GENERIC = FINITE_AUXILIARIES | frozenset("kind type sort way part one thing name entity".split())

# ---- from rag.readers.verbs
# Common irregular verbs (general English, not any corpus): bare form -> its other forms.
IRREGULAR_VERBS = {
    "say": ("says", "said", "saying"), "tell": ("tells", "told", "telling"), "speak": ("speaks", "spoke", "spoken"),
    "write": ("writes", "wrote", "written", "writing"), "take": ("takes", "took", "taken", "taking"),
    "give": ("gives", "gave", "given", "giving"), "make": ("makes", "made", "making"),
    "get": ("gets", "got", "gotten", "getting"), "go": ("goes", "went", "gone", "going"),
    "come": ("comes", "came", "coming"), "see": ("sees", "saw", "seen", "seeing"),
    "know": ("knows", "knew", "known", "knowing"), "think": ("thinks", "thought", "thinking"),
    "find": ("finds", "found", "finding"), "buy": ("buys", "bought", "buying"), "sell": ("sells", "sold", "selling"),
    "pay": ("pays", "paid", "paying"), "win": ("wins", "won", "winning"), "lose": ("loses", "lost", "losing"),
    "lead": ("leads", "led", "leading"), "hold": ("holds", "held", "holding"), "build": ("builds", "built", "building"),
    "send": ("sends", "sent", "sending"), "spend": ("spends", "spent", "spending"),
    "keep": ("keeps", "kept", "keeping"),
    "leave": ("leaves", "left", "leaving"), "bring": ("brings", "brought", "bringing"),
    "begin": ("begins", "began", "begun", "beginning"), "run": ("runs", "ran", "running"),
    "put": ("puts", "putting"), "set": ("sets", "setting"), "cut": ("cuts", "cutting"), "let": ("lets", "letting"),
    "meet": ("meets", "met", "meeting"), "mean": ("means", "meant", "meaning"), "seek": ("seeks", "sought", "seeking"),
    "teach": ("teaches", "taught", "teaching"), "fight": ("fights", "fought", "fighting"),
    "choose": ("chooses", "chose", "chosen", "choosing"), "rise": ("rises", "rose", "risen", "rising"),
    "fall": ("falls", "fell", "fallen", "falling"), "grow": ("grows", "grew", "grown", "growing"),
    "show": ("shows", "showed", "shown", "showing"), "draw": ("draws", "drew", "drawn", "drawing"),
    "become": ("becomes", "became", "becoming"), "break": ("breaks", "broke", "broken", "breaking"),
    "drive": ("drives", "drove", "driven", "driving"), "steal": ("steals", "stole", "stolen", "stealing"),
    "strike": ("strikes", "struck", "striking"), "sign": ("signs", "signed", "signing"),
}

# Past forms of common irregular verbs (general English): with the regular "-ed" forms, what rag.support_features
# reads as a claim's predicate verb (a verb the evidence never states caps the claim's support). Light verbs
# (LIGHT_VERBS) and forms that are also present or support verbs (put, set, let, had, kept) are left out: their
# meaning rides on their object ("put under export control" for "issued export control measures").
IRREGULAR_PAST = frozenset("""arose awoke bore beat became began bent bet bit bled blew broke bred brought built burnt
burst bought caught chose clung crept cut dealt dug dove drew dreamt drank drove ate fell fed felt fought
found fled flung flew forbade forgot forgave froze ground grew hung heard hid hit hurt
knelt knew laid led leapt learnt left lent lay lit lost meant met paid quit read rode rang rose ran
saw sought sold sent shook shone shot showed shrank shut sang sank sat slept slid spoke sped spent spun spat split
spread sprang stood stole stuck stung stank struck swore swept swam swung taught tore told thought threw thrust
trod understood woke wore wove wept won wound wrote""".split())

# Endings after which a verb takes "-es" ("pushes", "taxes"; rag.readers.verbs.inflections).
SIBILANT_ENDINGS = ("s", "sh", "ch", "x", "z")

# Verbs of saying (general English): a question asking what someone said, called, urged... is answered by the
# sentence that gives that person's words.
REPORTING_VERBS = frozenset(
    "say tell call describe state claim argue urge warn announce add note explain insist suggest ask demand "
    "promise deny admit write comment reply respond stress emphasize emphasise declare predict propose praise "
    "criticize criticise blame accuse vow pledge remark acknowledge confirm label term dub".split())

# ---- from rag.conversation
# Pronouns and demonstratives that point back to something said earlier, with their number and use. An object
# pronoun after the subject in its own clause points outside the question ("What did Acme call it?"); "her" is
# read as the possessive ("her team"), so only "it", "them" and "him" count as objects. A plural one ("they",
# "those") often points at a list the answer gave.
POINTING_WORDS = {
    "it": "singular subject object", "its": "singular possessive", "he": "singular subject",
    "him": "singular object", "his": "singular possessive", "she": "singular subject", "her": "singular possessive",
    "hers": "singular possessive", "this": "singular demonstrative", "one": "singular", "such": "demonstrative",
    "they": "plural subject", "them": "plural object", "their": "plural possessive", "theirs": "plural possessive",
    "these": "plural demonstrative", "those": "plural demonstrative", "ones": "plural",
}
ANAPHORA = frozenset(POINTING_WORDS)
OBJECT_PRONOUNS = frozenset(w for w, use in POINTING_WORDS.items() if "object" in use.split())
PLURAL_PRONOUNS = frozenset(w for w, use in POINTING_WORDS.items() if "plural" in use.split())

CLAUSE_BREAKS = frozenset("and or but who whom which that when where while because if after before since "
                          "although though whereas".split())

WORDS_BEFORE_THAT = frozenset("in of about by for with from on at to is was did does do after before since "
                         "like than".split())

# Question words, the finite auxiliaries and fillers that never name a topic.
QUESTION_WORDS = FINITE_AUXILIARIES | frozenset(
    "what which who whom whose when where why how whether tell me please explain describe know list give say said "
    "about also too else there here one ones kind sort type thing things way much many long often far since near "
    "from until within across around among against toward towards per via".split())

# Words before "one(s)" that make it a pronoun ("which one", "those ones"), not the number.
BEFORE_PRONOUN_ONE = frozenset("which the those these that".split())

# Adjectives after "is it" that make "it" a dummy subject ("is it true that ...").
DUMMY_IT_ADJECTIVES = frozenset("true possible likely".split())

# ---- from rag.readers.question_kind
# Nouns that name a category only with "of" ("what type of X": the category is X).
OF_WHAT_NOUNS = ("type", "kind", "sort", "category", "class", "form")

# ---- from rag.readers.claims
NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}

# ---- from rag.readers.values
MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})  # "jan", "feb" ... as well
MONTHS["sept"] = 9

WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}

CURRENCY_SIGNS = {"$": "usd", "€": "eur", "£": "gbp", "¥": "jpy", "₹": "inr"}

CURRENCY_WORDS = {"dollar": "usd", "dollars": "usd", "usd": "usd", "euro": "eur", "euros": "eur", "eur": "eur",
                   "pound": "gbp", "pounds": "gbp", "gbp": "gbp", "yen": "jpy", "jpy": "jpy", "yuan": "cny",
                   "renminbi": "cny", "rmb": "cny", "cny": "cny", "rupees": "inr", "rupee": "inr", "won": "krw",
                   "francs": "chf", "franc": "chf", "pesos": "peso", "peso": "peso"}

# ---- from rag.answering.shaped.verdict: a yes/no question's form, what it asks of the reports. Stems matched at a
# word's start: whether reports changed over time, stayed the same or agree, differ. Whole words: a negated
# question.
CHANGE_STEMS = ("chang", "shift", "evolv")
SAME_STEMS = ("consisten", "remain", "unchanged", "same", "similar", "align", "agree", "identical")
DIFFERENCE_STEMS = ("differ", "contrast", "inconsisten", "disagree", "unlike", "diverg", "contradict", "discrepan")
NEGATION_WORDS = frozenset("not no never fail failed fails without neither nor none".split())
