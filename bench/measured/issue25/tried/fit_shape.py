import pickle,re,math,sys
import numpy as np
from sklearn.linear_model import LogisticRegression
import rag.answering.shaped.common as C
from rag.answering.shaped.summary import informative
from rag.readers.speech import speaker_context
from rag.textspans import content_terms
from rag.readers.claims import numbers
rows=pickle.load(open('/work/tmp/shape_rows.pkl','rb'))
def norm(t): return re.sub(r"\s+"," ",t.replace("\u2019","'").replace("\u2018","'").replace("\u201c",'"').replace("\u201d",'"')).lower()
CAP=re.compile(r"\b[A-Z][a-z]+")
NAMES=["value","rel","cosine","lexical","informative","numbers","new_names","speech","lead_in","position","words","hit_rank","first_in_par"]
def feats(r):
    cands=r['cands']; rel=C.relative(cands); q=r['question']; qt=set(w.lower() for w in CAP.findall(q))
    out=[]
    for c,v in zip(cands,r['vals']):
        text=r['texts'][c.chunk.source]
        said=speaker_context(text,c.start,c.end) if text[c.start:c.end]==c.text else ""
        lead=[rel[id(o)] for o in cands if said and o.chunk.source==c.chunk.source and c.start-len(said)<=o.start and o.end<=c.start]
        par=text.rfind("\n",0,c.start); first= text[par+1:c.start].strip()==""
        names=[w for w in CAP.findall(c.text) if w.lower() not in qt]
        out.append([v,rel[id(c)],c.cosine,c.lexical,informative(c.text),math.log1p(len(numbers(c.text))),math.log1p(len(names)),
                    float(bool(said)),max(lead,default=0.0),c.start/max(1,len(text)),math.log(1+len(c.text.split())),math.log1p(c.rank),float(first)])
    return np.array(out)
def labels(r):
    return np.array([float(any(norm(a) in norm(c.text) for f in r['facts'] for a in f)) for c in r['cands']])
def covered(r,picked):
    t=" ".join(norm(c.text) for c in picked)
    return sum(any(norm(a) in t for a in f) for f in r['facts'])/len(r['facts'])
X=[feats(r) for r in rows]; Y=[labels(r) for r in rows]
sets=sorted({r['set'] for r in rows})
print('positives',sum(y.sum() for y in Y),'rows',sum(len(y) for y in Y))
def pick(r,values):
    cands=r['cands']; vd={id(c):v for c,v in zip(cands,values)}
    return C.spread_pick(cands,vd,r['k'],r['floor'],**r['kw'])
def rel_of(scores):
    s=sorted(scores); n=len(s); med=s[n//2] if n%2 else (s[n//2-1]+s[n//2])/2; span=s[-1]-med
    return [max(0.0,(x-med)/span) if span>0 else 1.0 for x in scores]
for C_ in (0.1,1.0):
  for cols in (list(range(len(NAMES))), [0]+list(range(4,13))):
    res={}
    for held in sets+['insample']:
        tr=[i for i,r in enumerate(rows) if r['set']!=held] if held!='insample' else list(range(len(rows)))
        te=[i for i,r in enumerate(rows) if r['set']==held] if held!='insample' else list(range(len(rows)))
        Xt=np.vstack([X[i][:,cols] for i in tr]); yt=np.concatenate([Y[i] for i in tr])
        # weight each question equally
        w=np.concatenate([np.full(len(Y[i]),1.0/len(Y[i])) for i in tr])
        mu,sd=Xt.mean(0),Xt.std(0)+1e-9
        m=LogisticRegression(C=C_,max_iter=2000).fit((Xt-mu)/sd,yt,sample_weight=w*len(tr))
        base=[];new=[];blend=[]
        for i in te:
            r=rows[i]; z=m.decision_function((X[i][:,cols]-mu)/sd)
            base.append(covered(r,pick(r,r['vals'])))
            new.append(covered(r,pick(r,[v+ (x-0) for v,x in zip(rel_of(list(z)),[0]*len(z))])))
            # keep the composer's shape bonuses: value - rel + model rel
            rr=X[i][:,1]; blend.append(covered(r,pick(r,list(X[i][:,0]-rr+np.array(rel_of(list(z)))))))
        res[held]=(len(te),np.mean(base),np.mean(new),np.mean(blend))
    print('C',C_,'cols',len(cols),' '.join(f"{h}: n{v[0]} base {v[1]:.3f} model {v[2]:.3f} bonus+model {v[3]:.3f}" for h,v in res.items()))
    if cols==list(range(len(NAMES))) and C_==1.0:
        print(dict(zip(NAMES,np.round(m.coef_[0],2))))
