for i in 1 2 3 4 5 6; do
  for t in bedd main; do
    d=/work/tmp/base_bedd; [ $t = main ] && d=/work/main
    (cd $d && HF_HUB_OFFLINE=1 RAG_CHROMA_URL= /work/main/.venv/bin/python -m bench.latency --chunks 100000 --questions 400 --json /work/tmp/lat11/${t}_$i.json > /work/tmp/lat11/${t}_$i.log 2>&1)
  done
done
echo done > /work/tmp/lat11/done
