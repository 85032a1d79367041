"""Exercises of the chapter "The smart-manufacturing worked example"."""

from __future__ import annotations

from lib.checks._core import (
    Implementation,
    Precision,
    register_function,
    register_number,
)

CHAPTER = "chapters/part1_policy/02_worked_example.ipynb"


def _J(reading: str, support: float) -> float:
    from lib.policy import example_J

    return example_J(reading, support)


def _support(reading: str):
    from lib.policy import required_constant_support

    return required_constant_support(reading, 5.6)


def _product_of_means() -> float:
    import numpy as np

    from lib.policy import example_inputs

    d = example_inputs("stretched", support=0.0)
    return float(np.mean(d["Ps"]) * np.mean(d["I"]))


register_number(
    "ex-example-J-progression", CHAPTER,
    expected=lambda: _J("progression", 1.0),
    precision=Precision.sig(3),
    misconceptions={
        "stretched reading": (lambda: _J("stretched", 1.0),
                              ("That is J under the 'stretched' reading; this exercise uses "
                              "the 'progression' reading.")),
        "support left out": (lambda: _J("progression", 0.0),
                             ("That is J with p = 0: the support p = 1 multiplies E at every "
                             "position.")),
    },
    reread="the section 'Named assumptions that make it computable'",
)  # fmt: skip

register_number(
    "ex-example-support-needed", CHAPTER, kind="derive",
    expected=lambda: _support("stretched"),
    precision=Precision.sig(3),
    misconceptions={
        "progression reading": (lambda: _support("progression"),
                                ("That is the support for the 'progression' reading; this "
                                "exercise uses the 'stretched' one.")),
        "sign flipped": (lambda: -_support("stretched"),
                         "Check the sign: J(0) is already above 5.6 and J grows with p."),
    },
    reread="the section 'Computing J, and solving for what 5.6 would need'",
)  # fmt: skip

register_number(
    "ex-example-J-no-support", CHAPTER,
    expected=lambda: _J("stretched", 0.0),
    precision=Precision.sig(3),
    misconceptions={
        "product of the means": (_product_of_means,
                                 ("That is mean(Ps) * mean(I); J averages the products "
                                 "Ps_n * I_n position by position.")),
        "progression reading": (lambda: _J("progression", 0.0),
                                ("That is J under the 'progression' reading; this exercise "
                                "uses the 'stretched' one.")),
    },
    reread="the section 'Computing J, and solving for what 5.6 would need'",
)  # fmt: skip


# ------------------------------------------------------------------ implement and model


def _progression_instance(rng, size: int) -> dict:
    """A printed list (first, second, third, '...', last) of a progression of `size + 3` values."""
    first = float(rng.integers(0, 50))
    step = float(rng.choice([0.5, 1.0, 2.0, 5.0, 10.0]))
    count = size + 3
    values = [first + step * i for i in range(count)]
    return {"printed": (values[0], values[1], values[2], "...", values[-1])}


def _progression_reference(printed):
    from lib.policy import expand_printed_sequence

    return expand_printed_sequence(printed, "progression")


def _same_values(student, reference) -> bool:
    import numpy as np

    try:
        student = np.asarray(student, dtype=float)
    except (TypeError, ValueError):
        return False
    return student.shape == reference.shape and bool(np.allclose(student, reference))


register_function(
    "ex-example-implement-progression", CHAPTER,
    implementation=Implementation(
        reference=_progression_reference,
        instances=_progression_instance,
        sizes=(1, 2, 4, 8),
        per_size=3,
        compare=_same_values,
        hide=("lib.policy.expand_printed_sequence", "lib.policy.example_inputs"),
        returns="the array of the progression's values",
    ),
    reread="the section 'Named assumptions that make it computable'",
)  # fmt: skip

register_number(
    "ex-example-support-progression", CHAPTER, kind="model",
    expected=lambda: _support("progression"),
    precision=Precision.sig(3),
    misconceptions={
        "stretched reading": (lambda: _support("stretched"),
                              ("That is the support for the 'stretched' reading; this exercise "
                              "changes the reading to 'progression'.")),
        "sign flipped": (lambda: -_support("progression"),
                         "Check the sign: J(0) is already above 5.6 and J grows with p."),
    },
    reread="the section 'Computing J, and solving for what 5.6 would need'",
)  # fmt: skip
