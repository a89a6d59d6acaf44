from .cases import TALLY, remove_marker_folder


def pytest_terminal_summary(terminalreporter):
    if not TALLY.total():
        return
    per_target = ", ".join(f"{target} {n:,}" for target, n in sorted(TALLY.cases.items()))
    rejected = sum(TALLY.rejected(target) for target in TALLY.cases)
    terminalreporter.write_line(f"fuzz: {TALLY.total():,} cases ({per_target}); {rejected:,} rejected with a "
                                f"message, {sum(TALLY.accepted.values()):,} accepted")


def pytest_sessionfinish():
    remove_marker_folder()
