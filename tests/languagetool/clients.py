"""Drives real LanguageTool clients from PyPI against a running unspun server.

Usage: clients.py PORT

- language_tool_python: check() returns the artifacts with the right
  replacements; correct() gives the same text as `fixed` from /v1/check.
- pylanguagetool: its command line prints the matches.

Exits non-zero with a message on the first failure.
"""

import json
import os
import subprocess
import sys
import urllib.request

import language_tool_python

SPUN = (
    "😀😀 The travel comes arsenic Mexico has worked to negociate with the Trump "
    "medication to debar tariff threats. Noem will travel to Mexico connected Friday "
    "to conscionable with Sheinbaum, the two sides said successful a statement."
)


def fixed_by_v1(base, text):
    request = urllib.request.Request(
        base + "/v1/check",
        data=json.dumps({"text": text}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["fixed"]


def check_language_tool_python(base):
    tool = language_tool_python.LanguageTool("en-US", remote_server=base)
    try:
        matches = tool.check(SPUN)
        found = {SPUN[m.offset : m.offset + m.error_length]: m for m in matches}
        assert "arsenic" in found, f"arsenic not flagged: {list(found)}"
        assert found["arsenic"].replacements[0] == "as", found["arsenic"].replacements
        assert found["arsenic"].rule_id == "UNSPUN_SPUN_WORD", found["arsenic"].rule_id
        assert "connected" in found, f"connected not flagged: {list(found)}"
        assert found["connected"].replacements[0] == "on", found["connected"]
        corrected = tool.correct(SPUN)
        expected = fixed_by_v1(base, SPUN)
        assert corrected == expected, f"correct() gave\n{corrected}\n/v1 fixed is\n{expected}"
        print(f"language_tool_python: {len(matches)} matches, correct() == /v1 fixed")
    finally:
        tool.close()


def check_pylanguagetool(base):
    script = os.path.join(os.path.dirname(sys.executable), "pylanguagetool")
    run = subprocess.run(
        [script, "--api-url", base + "/v2/", "--lang", "en-US", "--no-color", "--rules"],
        input=SPUN,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = run.stdout + run.stderr
    for expected in ["arsenic", "UNSPUN_SPUN_WORD", "connected"]:
        assert expected in output, f"pylanguagetool output lacks {expected!r}:\n{output}"
    print("pylanguagetool: prints the matches")


def check_correct_on_file(base, path):
    """correct() on a whole article gives the same text as /v1/check's fixed."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    tool = language_tool_python.LanguageTool("en-US", remote_server=base)
    try:
        corrected = tool.correct(text)
    finally:
        tool.close()
    expected = fixed_by_v1(base, text)
    assert corrected == expected, f"correct() on {path} gave\n{corrected}\n/v1 fixed is\n{expected}"
    assert corrected != text, f"nothing corrected in {path}"
    print(f"language_tool_python: correct() on {path} == /v1 fixed")


def main():
    base = f"http://127.0.0.1:{sys.argv[1]}"
    check_language_tool_python(base)
    check_pylanguagetool(base)
    for path in sys.argv[2:]:
        check_correct_on_file(base, path)


if __name__ == "__main__":
    main()
