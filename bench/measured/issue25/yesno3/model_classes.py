import numpy as np, warnings
warnings.filterwarnings("ignore")
from bench.yesno_fit import matrix, FEATURE_CACHE
from bench.yesno_collect import load
from rag.answering.shaped.verdict import FEATURES
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, PolynomialFeatures
rows = [r for r in load(FEATURE_CACHE) if r["set"] == "multihop" and r["reached"]]
x = matrix(rows, FEATURES); y = np.array([r["gold"] == "yes" for r in rows])
strata = np.array([f"{r['type']}/{r['gold']}" for r in rows])
def cv(model, name):
    accs = []
    for rep in range(3):
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=rep).split(x, strata):
            model.fit(x[tr], y[tr]); accs.append((model.predict(x[te]) == y[te]).mean())
    print(f"{np.mean(accs):.4f} ±{np.std(accs):.3f} {name}")
print(len(rows), "rows; always yes", round(y.mean(), 4))
for C in (0.1, 1.0):
    cv(make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000)), f"logistic C={C}")
cv(make_pipeline(StandardScaler(), PolynomialFeatures(2, interaction_only=True), StandardScaler(), LogisticRegression(C=0.05, max_iter=4000)), "logistic pairwise C=0.05")
for depth in (2, 3):
    cv(HistGradientBoostingClassifier(max_depth=depth, learning_rate=0.05, max_iter=150, l2_regularization=1.0), f"hgb depth {depth}")
cv(RandomForestClassifier(300, min_samples_leaf=10, random_state=0), "forest leaf 10")
