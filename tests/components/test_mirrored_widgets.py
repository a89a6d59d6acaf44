from components.mirrored_widgets import MirroredWidgets


def browser_reports(ss: dict, key: str, value) -> None:
    """What Streamlit does before a rerun: the widget's value becomes what the browser sent."""
    ss[key] = value


def test_a_value_written_a_moment_ago_is_an_echo_not_a_move():
    ss: dict = {}
    mirror = MirroredWidgets(ss)
    mirror.write("loc", -1.0)
    browser_reports(ss, "loc", -1.0)
    mirror.write("loc", -0.5)  # the canvas moved P; the browser has not seen -0.5 yet
    mirror.write("loc", 0.25)
    browser_reports(ss, "loc", -0.5)  # a rerun request that left the browser before 0.25 arrived
    assert not mirror.moved("loc", current=0.25, tolerance=0.025)


def test_a_keyboard_user_stepping_back_to_an_earlier_value_is_a_move():
    ss: dict = {}
    mirror = MirroredWidgets(ss)
    mirror.write("loc", 0.0)
    browser_reports(ss, "loc", 0.05)  # right arrow
    assert mirror.moved("loc", current=0.0, tolerance=0.025)
    mirror.write("loc", 0.05)
    browser_reports(ss, "loc", 0.0)  # left arrow, back to a value the page once wrote
    assert mirror.moved("loc", current=0.05, tolerance=0.025)


def test_the_browser_catching_up_settles_older_values():
    ss: dict = {}
    mirror = MirroredWidgets(ss)
    for v in (1.0, 2.0, 3.0):
        mirror.write("x", v)
    browser_reports(ss, "x", 3.0)
    mirror.write("x", 3.0)
    browser_reports(ss, "x", 1.0)  # only a person can send 1.0 now
    assert mirror.moved("x", current=3.0)


def test_rounding_to_the_widget_grid_is_not_a_move_and_choices_compare_exactly():
    ss: dict = {}
    mirror = MirroredWidgets(ss)
    mirror.write("loc", 0.25)
    browser_reports(ss, "loc", 0.25000000000000044)  # lo + n·step in the browser's floats
    assert not mirror.moved("loc", current=0.2273, tolerance=0.025)
    mirror.write("family", "gaussian")
    browser_reports(ss, "family", "laplace")
    assert mirror.moved("family", current="gaussian")


def test_history_stays_bounded_during_a_long_drag():
    ss: dict = {}
    mirror = MirroredWidgets(ss)
    for i in range(1000):
        mirror.write("loc", i / 100)
    assert len(mirror.pending["loc"]) <= 32
