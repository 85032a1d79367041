"""Every public function of lib is either drawn at mixed scales or listed
with the reason its inputs play one role only.

The mixed-scale files (``test_mixed_scales_*.py``, see ``mixed_scales.py``)
each hold a ``MIXED`` registry and a ``ONE_SCALE`` table; the modules they do
not cover (validation, display, plots, the exercise checks, the article
listings) are listed here. Found by glob, like the differential files.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from mixed_scales import MIN_MIXED, MIN_MIXED_TOTAL, MIXED_INPUTS
from test_differential_coverage import public_functions, resolve

TESTS = Path(__file__).resolve().parent
MIXED_FILES = sorted(
    p.stem for p in TESTS.glob("test_mixed_scales_*.py") if p.stem != Path(__file__).stem
)

_NOT_NUMERIC = "its inputs are text, names or flags, not quantities with a scale"
#: Public functions of the modules no mixed-scale file covers, with the reason.
ONE_SCALE: dict[str, str] = {
    **dict.fromkeys(
        [
            "lib._validate.as_integer", "lib._validate.as_real", "lib._validate.as_probability",
            "lib._validate.as_real_matrix", "lib._validate.as_real_vector", "lib._validate.as_capacity_vector",
            "lib._validate.as_index_vector", "lib._validate.check_size",
        ],
        "one value checked on its own (its bounds are the caller's, compared exactly); the "
        "differential file draws it from 1e-300 to 1e300",
    ),
    **dict.fromkeys(
        [
            "lib._validate.as_bool", "lib._validate.as_choice", "lib._validate.as_pair_list",
            "lib._validate.as_label_sequence", "lib._validate.as_seed", "lib._validate.as_arrival_order",
            "lib.display.show_source", "lib.plots.series_style", "lib.plots.course_cycler",
            "lib.plots.course_rc", "lib.plots.course_style", "lib.plots.use_course_style",
            "lib.listing.article_listing", "lib.listing.section_code_blocks", "lib.listing.analyse_listing",
            "lib.checks.check", "lib.checks.exercise_labels", "lib.checks.exercises", "lib.checks.expected",
            "lib.checks._core.is_placeholder", "lib.checks._core.same_expression",
        ],
        _NOT_NUMERIC,
    ),
    **dict.fromkeys(
        [
            "lib.plots.draw_bipartite_matching", "lib.plots.draw_coordination_statics",
            "lib.plots.draw_example_sensitivity", "lib.plots.draw_optimal_matching",
            "lib.plots.draw_ratio_histogram", "lib.plots.draw_residuals", "lib.plots.draw_training_curves",
            "lib.plots.draw_value_of_coordination", "lib.widgets.capacity_explorer",
            "lib.widgets.coordination_explorer", "lib.widgets.coordination_value_explorer",
            "lib.widgets.example_explorer", "lib.widgets.online_explorer", "lib.widgets.training_explorer",
        ],
        "draws what a lib function computed; the numbers are that function's, drawn at mixed "
        "scales in its own case",
    ),
    "lib.checks._core.as_real_number": "one student answer read as a number; its scale is the "
    "exercise's (the checks compare with relative tolerances, tested in test_checks*.py)",
}  # fmt: skip


def registries() -> dict[str, tuple[dict, dict]]:
    out = {}
    for stem in MIXED_FILES:
        module = importlib.import_module(stem)
        out[stem] = (module.MIXED.cases, module.ONE_SCALE)
    return out


REGISTRIES = registries()


def test_the_mixed_scale_files_are_found():
    assert len(REGISTRIES) >= 4, sorted(REGISTRIES)


def test_every_public_function_is_mixed_or_one_scale():
    seen: dict[str, list[str]] = {}
    tables = {stem: (set(cases), set(one)) for stem, (cases, one) in REGISTRIES.items()}
    tables["test_mixed_scales_coverage"] = (set(), set(ONE_SCALE))
    for stem, (mixed, one) in tables.items():
        for entry in mixed | one:
            name = resolve(entry)
            assert name is not None, f"{stem} names {entry}, which is not a function of lib"
            seen.setdefault(name, []).append(stem)
        both = {resolve(e) for e in mixed} & {resolve(e) for e in one}
        assert not both, f"{stem}: both mixed and one-scale: {sorted(both)}"
    functions = public_functions()
    missing = sorted(functions - set(seen))
    twice = {name: stems for name, stems in seen.items() if len(stems) > 1}
    assert not missing, f"public functions neither mixed nor listed as one-scale: {missing}"
    assert not twice, f"listed in more than one file: {twice}"


def test_every_one_scale_entry_gives_a_reason():
    for stem, (_, one) in REGISTRIES.items():
        for name, reason in one.items():
            assert len(reason.split()) >= 4, f"{stem}: {name} needs a reason, got {reason!r}"


def test_enough_mixed_inputs_are_planned():
    cases = sum(len(cases) for cases, _ in REGISTRIES.values())
    assert MIXED_INPUTS >= MIN_MIXED
    assert MIXED_INPUTS * cases >= MIN_MIXED_TOTAL, (
        f"{cases} mixed-scale cases x {MIXED_INPUTS} inputs < {MIN_MIXED_TOTAL}"
    )
