"""What the judge sends the harness: text a candidate wrote, anywhere in an answer, arrives as text .NET can read."""
import json

import kbh_worker


def test_lone_surrogates_in_values_and_keys_become_question_marks_and_numbers_stay():
    answer = {"reason": "bad \ud800 text", "phase_seconds": {"candidate_said.a\udc00": 1.5},
              "findings": [{"message": ("x\ud83d", "ok \U0001F600")}], "max_abs_diff": float("inf")}
    sent = json.dumps(kbh_worker._clean(answer), allow_nan=False)
    back = json.loads(sent)
    json.dumps(back, ensure_ascii=False).encode("utf-8")  # raises on a lone surrogate anywhere (a pair is fine)
    assert back["reason"] == "bad ? text" and back["phase_seconds"] == {"candidate_said.a?": 1.5}
    assert back["findings"][0]["message"] == ["x?", "ok \U0001F600"] and back["max_abs_diff"] == "Infinity"
