"""The measure the hostile-input tests rely on tells linear work from quadratic work."""

from tests.growth import growth


def _step(character: str) -> str:
    return character


def linear(text: str) -> list[str]:
    return [_step(c) for c in text]


def quadratic(text: str) -> list[str]:
    return [_step(c) for i in range(len(text)) for c in text[:i]]


def test_linear_work_grows_about_four_times_for_four_times_the_input():
    assert 3.5 < growth(linear, lambda n: "[" * n, 400) < 4.5


def test_quadratic_work_grows_about_sixteen_times():
    assert growth(quadratic, lambda n: "[" * n, 400) > 14
