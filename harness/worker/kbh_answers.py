"""What the candidate's process answers, read into the judge's verdict: its outputs as the judge's own tensors (checked
against the reference's count, dtype and shape before a byte is copied), its findings and its evidence, both marked
self-reported."""
import torch

import kbh_files
import kbh_tensors


def read_outputs(answer, fds, reference_outputs, device):
    """The candidate's outputs as the judge's own tensors, or (None, why) when they are not honest data."""
    specs = answer.get("outputs")
    fds = list(fds)
    try:
        if not isinstance(specs, list) or sum(1 for s in specs if isinstance(s, dict) and s.get("kind") == "tensor") \
                != len(fds):
            return None, "the candidate process sent outputs that do not match their descriptions"
        # Count, dtype and shape against the reference's before a byte is copied: a candidate cannot make the judge
        # allocate more than the reference's own outputs take.
        if len(specs) != len(reference_outputs):
            return None, f"expected {len(reference_outputs)} output(s), got {len(specs)}"
        values = []
        for i, (spec, ref) in enumerate(zip(specs, reference_outputs)):
            kind = spec.get("kind")
            if kind == "tensor":
                if not isinstance(ref, torch.Tensor):
                    return None, f"output {i}: expected {ref!r}, got a tensor"
                if spec.get("shape") != list(ref.shape):
                    shape = spec.get("shape") if isinstance(spec.get("shape"), list) else []
                    return None, f"output {i}: shape mismatch: expected {tuple(ref.shape)}, got {tuple(shape[:8])}"
                if spec.get("dtype") != str(ref.dtype).replace("torch.", ""):
                    return None, (f"output {i}: dtype mismatch: expected {ref.dtype}, "
                                  f"got torch.{str(spec.get('dtype'))[:20]}")
                values.append(kbh_tensors.read_copy(fds.pop(0), spec, nbytes(ref), ref.device, gpu=device))
            elif kind == "value":
                try:
                    values.append(kbh_tensors.decode_value(spec.get("value")))
                except (RecursionError, TypeError, ValueError, AttributeError):
                    return None, f"output {i} is a malformed value"
            else:
                return None, f"output {i} is a {str(spec.get('type'))[:60]}, not a tensor or a number"
        return values, None
    except kbh_tensors.BadTensor as e:
        return None, f"the candidate process sent a malformed output: {e}"
    finally:
        kbh_files.close_all(fds)


def nbytes(t):
    return t.numel() * t.element_size() if isinstance(t, torch.Tensor) else 0


def add_findings(result, findings):
    for f in findings or []:
        if isinstance(f, dict) and isinstance(f.get("rule"), str):
            found = {"rule": f["rule"][:60], "severity": "reject" if f.get("severity") == "reject" else "flag",
                     "message": str(f.get("message", ""))[:500], "self_reported": True}
            if isinstance(f.get("line"), int) and not isinstance(f.get("line"), bool):
                found["line"] = f["line"]
            if isinstance(f.get("trial"), (str, int)):
                found["trial"] = str(f["trial"])[:60]
            result["findings"].append(found)


def add_evidence(result, answer):
    """How the candidate's process gathered its runtime evidence (self-reported), for the verdict."""
    said = answer.get("evidence")
    if isinstance(said, dict):
        record = result.setdefault("evidence", {})
        for k, v in list(said.items())[:8]:
            record[str(k)[:40]] = "self-reported: " + str(v)[:300]
