for i in 1 2 3; do
  for t in before83 main; do
    d=/work/tmp/$t; [ $t = main ] && d=/work/main
    (cd $d && HF_HUB_OFFLINE=1 RAG_CHROMA_URL= /work/main/.venv/bin/python -m bench.latency --chunks 100000 --questions 400 --json /work/tmp/lat/${t}_$i.json > /work/tmp/lat/${t}_$i.log 2>&1)
  done
done
echo done > /work/tmp/lat/done
