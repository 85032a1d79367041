"""Run a student's function on given instances, with lib's versions hidden.

Executed by the grader as ``python -I -c <this text> <copy dir>`` in a fresh,
isolated process (see grading/sandbox.py): the copy dir holds a fresh copy of
lib and the two helper modules. Reads the request (JSON) on stdin, prints
one marker line with the outputs (JSON) on stdout. The grader compares the
outputs with lib's results in its own process.
"""

import builtins
import importlib
import json
import sys

sys.path.insert(0, sys.argv[1])
sys.setrecursionlimit(5000)

import _course_capture as capture  # noqa: E402
import _course_values as values  # noqa: E402

MARKER = "@@course-grading-sandbox@@"


def _build(record, namespace):
    """Re-create a captured function (and its helpers) in ``namespace``."""
    for helper in record.get("helpers", []):
        _build(helper, namespace)
    for name, module in record.get("modules", {}).items():
        namespace[name] = importlib.import_module(module)
    for name, (module, qualname) in record.get("imports", {}).items():
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        namespace[name] = obj
    for name, data in record.get("values", {}).items():
        try:
            namespace[name] = values.decode(data)
        except ValueError:  # not data: left out (the function fails if it needs it)
            pass
    if not record.get("source"):
        raise RuntimeError(f"the source of {record.get('name')} is not available")
    exec(compile(record["source"], "<student>", "exec"), namespace)  # noqa: S102 - isolated process
    name = record.get("name", "")
    return namespace.get(name) if name.isidentifier() else namespace.get("answer")


def main():
    request = json.loads(sys.stdin.read())
    out = {"outputs": [], "failure": None}
    try:
        namespace = {"__name__": "__main__", "__builtins__": builtins}
        func = _build(request["function"], namespace)
        if not callable(func):
            raise RuntimeError("the captured answer does not re-create a function")
        instances = [{k: values.decode(v) for k, v in inst.items()} for inst in request["instances"]]
    except Exception as exc:  # noqa: BLE001 - reported to the grader
        out["failure"] = {"kind": "rebuild", "type": type(exc).__name__, "message": str(exc)[:500]}
        print(MARKER + json.dumps(out), flush=True)
        return
    from lib.checks._core import LibFunctionHidden, _Hidden

    with _Hidden(request["hide"], func):
        for index, instance in enumerate(instances):
            try:
                result = func(**instance)
            except LibFunctionHidden as exc:
                out["failure"] = {"kind": "hidden", "index": index, "name": str(exc)}
                break
            except Exception as exc:  # noqa: BLE001 - a student's bug
                out["failure"] = {"kind": "raised", "index": index, "type": type(exc).__name__,
                                  "message": str(exc)[:500]}
                break
            out["outputs"].append(capture.encode(result))
    print(MARKER + json.dumps(out), flush=True)


main()
