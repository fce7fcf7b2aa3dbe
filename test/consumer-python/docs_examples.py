"""
Synthesizes each Python docs example (docs/examples/<stem>.py, the Python the guide pages show) to
<out>/<stem>.k8s.yaml with the library's synth, for scripts/languages-test.sh to compare with what
the TypeScript example docs/examples/<stem>.ts writes. Usage: python docs_examples.py EXAMPLES_DIR OUT_DIR
"""
import importlib.util
import inspect
import os
import sys

from cdk8s import App, Chart
from cdk8s_pod_patterns import Patterns


def main(examples: str, out: str) -> None:
    os.makedirs(out, exist_ok=True)
    for file in sorted(f for f in os.listdir(examples) if f.endswith(".py")):
        stem = file[:-3]
        spec = importlib.util.spec_from_file_location(stem.replace("-", "_"), os.path.join(examples, file))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        charts = [c for _, c in inspect.getmembers(module, inspect.isclass)
                  if issubclass(c, Chart) and c.__module__ == module.__name__]
        if len(charts) != 1:
            raise SystemExit(f"{file}: exactly one Chart class expected, found {len(charts)}")
        app = App()
        charts[0](app, stem)
        files = Patterns.synth_to_memory(app)
        with open(os.path.join(out, f"{stem}.k8s.yaml"), "w", encoding="utf-8", newline="") as f:
            f.write("".join(files.values()))


if __name__ == "__main__":
    main(*sys.argv[1:])
