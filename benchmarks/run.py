"""Speed and scale benchmark of ``kg build`` on synthetic news (see benchmarks/README.md).

One run, on the same generated texts (benchmarks/generate.py, seeded), measures:

- bare spaCy: ``spacy.load(model).pipe(texts, n_process=W)`` over the article bodies and titles
  (what kg parses), in a fresh process, model load included (with ``--repeat N``, it and the fresh
  build below run N times, alternating, and each keeps its fastest run);
- ``kg build --workers W`` (fresh: empty cache), in a fresh process: articles/s, words/s, peak
  RSS (summed over the process tree), the ratio to bare spaCy;
- the same build with the other worker count (1 <-> 2): workers speed-up = time(1) / time(2);
- a build of a tenth of the articles: time and RSS ratios (linearity);
- re-runs: nothing changed (outputs kept), all from cache into a new folder, one article changed;
- Turtle export of the built graph (or of a contract-shaped graph of ``--export-triples``):
  kg.serialize (pyoxigraph, sorted) vs rdflib's Turtle serializer.

Run: python benchmarks/run.py --articles 200 [--workers 1] [--repeat 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

BARE_SPACY = """
import json, sys, spacy
model, workers, batch, corpus = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
texts = []
for line in open(corpus, encoding="utf-8"):
    rec = json.loads(line)
    texts.append(rec["text"])
    if rec.get("title"):
        texts.append(rec["title"])
nlp = spacy.load(model)
n = sum(1 for _ in nlp.pipe(texts, batch_size=batch, n_process=workers))
print(n)
"""


#: Environment of the measured processes: kg imported from a snapshot of the source (see snapshot()).
ENV: dict[str, str] = dict(os.environ)


def snapshot(work: Path) -> None:
    """Import kg, in every measured process, from a copy of its last commit (else of its folder).

    The cache fingerprint and the up-to-date check hash kg's source: edits made to the working tree
    during a run would otherwise turn the re-runs into fresh builds (or break them half-way).
    """
    src = work / "src"
    if not (src / "kg").is_dir():
        src.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", "HEAD", "kg"], capture_output=True)
        if archive.returncode == 0:
            subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
        else:
            shutil.copytree(HERE.parent / "kg", src / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    ENV["PYTHONPATH"] = os.pathsep.join([str(src), *filter(None, [os.environ.get("PYTHONPATH")])])
    sys.path.insert(0, str(src))
    os.chdir(work)  # python -m puts the working folder first on sys.path


#: CPU seconds (user + system) of the last measured command and the processes it waited for.
LAST_CPU = [0.0]


def measure(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; return (wall seconds, peak RSS in MiB summed over it and its children).

    Its CPU seconds go to ``LAST_CPU[0]``: on a shared machine they move less than wall time.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return seconds, peak / 2**20


def kg_build(corpus: Path, out: Path, workers: int, cache: Path | None, extra: tuple[str, ...] = ()) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--workers", str(workers),
           "--no-progress", *extra]
    cmd += ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    return measure(cmd)


def export_bench(ttl: Path | None, triples: int | None) -> dict[str, float]:
    """Turtle of one graph: kg's writer vs rdflib's serializer.

    ``export_seconds`` is kg's writer on pyoxigraph quads (``kg.serialize.serialize_quads``, what
    ``kg export`` and the API use; ``kg build`` streams the same bytes from its QuadSet with
    ``write_quadset``); ``export_from_rdflib_seconds`` adds the conversion from the rdflib Graph.
    """
    from rdflib import Graph

    from kg.serialize import quads_of, serialize_quads

    if triples:
        sys.path.insert(0, str(HERE.parent / "tests"))
        from rdf_samples import contract_dataset

        ds, _ = contract_dataset(max(1, triples // 58))
        graph = Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            graph.add((s, p, o))
        for prefix, ns in ds.namespaces():
            graph.bind(prefix, ns)
        del ds
    else:
        graph = Graph().parse(ttl, format="turtle")
    t0 = time.perf_counter()
    quads = list(quads_of(graph))
    t_convert = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = serialize_quads(quads, "ttl")
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = graph.serialize(format="turtle", encoding="utf-8")
    t_rdflib = time.perf_counter() - t0
    n = len(graph)
    same = None
    if n <= 300_000:  # ours re-read is the very graph (rdflib's rewrites xsd:decimal "2" as 2.0, same value)
        from rdflib.compare import isomorphic

        same = isomorphic(Graph().parse(data=ours, format="turtle"), graph)
    return {"export_triples": n, "export_seconds": round(t_ours, 3), "export_rdflib_seconds": round(t_rdflib, 3),
            "export_triples_per_s": round(n / t_ours), "rdflib_triples_per_s": round(n / t_rdflib),
            "export_speedup_vs_rdflib": round(t_rdflib / t_ours, 2),
            "export_from_rdflib_seconds": round(t_convert + t_ours, 3),
            "export_from_rdflib_speedup": round(t_rdflib / (t_convert + t_ours), 2), "export_isomorphic": same}


def change_one(corpus: Path, dest: Path) -> None:
    """A copy of ``corpus`` whose last article has one more sentence."""
    lines = corpus.read_text("utf-8").splitlines()
    rec = json.loads(lines[-1])
    rec["text"] += "\n\nThe story was updated with more details later on the same day."
    lines[-1] = json.dumps(rec, ensure_ascii=False)
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(n: int, workers: int, model: str | None, batch: int, seed: int, export_triples: int | None, work: Path,
        log=lambda msg: None, repeat: int = 1) -> dict:
    snapshot(work)
    from kg.nlp import find_model

    model = model or find_model(None)
    corpus = work / "corpus.jsonl"
    words = generate.write_jsonl(n, str(corpus), seed)
    tenth = max(1, n // 10)
    small = work / "tenth.jsonl"
    generate.write_jsonl(tenth, str(small), seed)
    r: dict = {"articles": n, "words": words, "workers": workers, "model": model, "seed": seed,
               "cpu_count": os.cpu_count(), "load_avg_start": round(os.getloadavg()[0], 2)}

    # bare spaCy and the fresh build, alternating `repeat` times: each keeps its fastest run (on a
    # shared machine the speed drifts by tens of percent within minutes; alternating sees both alike)
    spacy_runs, build_runs, spacy_cpus, build_cpus, spacy_rsss, build_rsss = [], [], [], [], [], []
    cache = work / "cache"
    for i in range(repeat):
        log(f"bare spaCy nlp.pipe{f' (run {i + 1} of {repeat})' if repeat > 1 else ''}")
        seconds, rss = measure([sys.executable, "-c", BARE_SPACY, model, str(workers), str(batch), str(corpus)])
        spacy_runs.append(seconds)
        spacy_cpus.append(LAST_CPU[0])
        spacy_rsss.append(rss)
        log(f"  {seconds:.1f} s; kg build (fresh, fills the cache)")
        out, run_cache = (work / "out", cache) if i == 0 else (work / f"out-repeat{i}", work / f"cache-repeat{i}")
        seconds, rss = kg_build(corpus, out, workers, run_cache, ("--model", model, "--batch-size", str(batch)))
        build_runs.append(seconds)
        build_cpus.append(LAST_CPU[0])
        build_rsss.append(rss)
        log(f"  {seconds:.1f} s")
        if i:
            shutil.rmtree(out)
            shutil.rmtree(run_cache)
    spacy_s, build_s, spacy_cpu, build_cpu = min(spacy_runs), min(build_runs), min(spacy_cpus), min(build_cpus)
    spacy_rss, build_rss = max(spacy_rsss), max(build_rsss)
    report = json.loads((work / "out" / "report.json").read_text("utf-8"))
    r.update(build_seconds=round(build_s, 2), articles_per_s=round(n / build_s, 2), words_per_s=round(words / build_s),
             spacy_seconds=round(spacy_s, 2), ratio_vs_spacy=round(build_s / spacy_s, 3),
             build_cpu_seconds=round(build_cpu, 2), spacy_cpu_seconds=round(spacy_cpu, 2),
             cpu_ratio_vs_spacy=round(build_cpu / spacy_cpu, 3),
             peak_rss_mb=round(build_rss), spacy_peak_rss_mb=round(spacy_rss), triples=report["triples"],
             entities=report["entities"], write_seconds=report.get("write_seconds"))
    if repeat > 1:
        r.update(repeat=repeat, spacy_runs=[round(x, 2) for x in spacy_runs],
                 build_runs=[round(x, 2) for x in build_runs],
                 pair_ratios=[round(b / s, 3) for b, s in zip(build_runs, spacy_runs)])

    other = 2 if workers == 1 else 1
    log(f"kg build --workers {other}")
    other_s, _ = kg_build(corpus, work / "out-other", other, None, ("--model", model, "--batch-size", str(batch)))
    r["other_cpu_seconds"] = round(LAST_CPU[0], 2)
    times = {workers: build_s, other: other_s}
    r.update(seconds_1_worker=round(times[1], 2), seconds_2_workers=round(times[2], 2),
             workers_speedup=round(times[1] / times[2], 3))

    log(f"  {other_s:.1f} s; kg build of {tenth} articles")
    small_s, small_rss = kg_build(small, work / "out-tenth", workers, None, ("--model", model, "--batch-size", str(batch)))
    r.update(tenth_cpu_seconds=round(LAST_CPU[0], 2), cpu_ratio_vs_tenth=round(build_cpu / LAST_CPU[0], 2),
             tenth_articles=tenth, tenth_seconds=round(small_s, 2), tenth_peak_rss_mb=round(small_rss),
             time_ratio_vs_tenth=round(build_s / small_s, 2), rss_ratio_vs_tenth=round(build_rss / small_rss, 2))

    log("re-runs")
    same_s, _ = kg_build(corpus, work / "out", workers, cache, ("--model", model))
    r["incremental_cpu_ratio"] = round(LAST_CPU[0] / build_cpu, 4)
    cached_s, _ = kg_build(corpus, work / "out-cached", workers, cache, ("--model", model))
    changed = work / "changed.jsonl"
    change_one(corpus, changed)
    one_s, _ = kg_build(changed, work / "out-changed", workers, cache, ("--model", model))
    r.update(incremental_seconds=round(same_s, 2), incremental_ratio=round(same_s / build_s, 4),
             cached_rebuild_seconds=round(cached_s, 2), cached_rebuild_ratio=round(cached_s / build_s, 4),
             one_changed_seconds=round(one_s, 2), one_changed_ratio=round(one_s / build_s, 4))

    log("export")
    r.update(export_bench(None if export_triples else work / "out" / "graph.ttl", export_triples))
    r["load_avg_end"] = round(os.getloadavg()[0], 2)
    return r


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, default=200, help="articles to generate and build (default: 200)")
    p.add_argument("--workers", type=int, default=1, help="kg build --workers and nlp.pipe n_process (default: 1)")
    p.add_argument("--model", default=None, help="spaCy model (default: kg's default search)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=1,
                   help="run bare spaCy and the fresh build this many times, alternating; each keeps its "
                        "fastest run (default: 1)")
    p.add_argument("--export-triples", type=int, default=None,
                   help="time export on a contract-shaped graph of about this many triples "
                        "(default: the graph just built)")
    p.add_argument("--export-only", action="store_true", help="only the export measure (needs --export-triples)")
    p.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    log = (lambda msg: print(msg, file=sys.stderr, flush=True))
    if args.export_only:
        if not args.export_triples:
            p.error("--export-only needs --export-triples")
        result = export_bench(None, args.export_triples)
    elif args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
        result = run(args.articles, args.workers, args.model, args.batch_size, args.seed, args.export_triples, work,
                     log, max(1, args.repeat))
    else:
        with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
            result = run(args.articles, args.workers, args.model, args.batch_size, args.seed, args.export_triples,
                         Path(tmp), log, max(1, args.repeat))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
