"""What an import prints of its columns and bad rows: shared by the history and the spreadsheet import."""

from __future__ import annotations

from dataclasses import dataclass

from homestretch.lib import console as cli


@dataclass
class Bad:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def printed(call) -> str:
    with cli.console.capture() as capture:
        call()
    return capture.get()


def test_columns_are_aligned_under_their_title():
    out = printed(lambda: cli.print_mapping("Columns:", {"E-mail": "email", "Full name": "name"}))
    assert out.splitlines() == ["Columns:", "  E-mail    → email", "  Full name → name"]


def test_the_first_bad_rows_are_shown_and_the_other_lines_counted():
    # Two refusals on line 1 count as one bad row; 25 lines in all.
    bad = [Bad(1, "no name"), Bad(1, "no e-mail"), *(Bad(n, "bad date [x]") for n in range(2, 26))]
    lines = printed(lambda: cli.print_bad_rows(bad, 25)).splitlines()
    assert lines[0] == "Bad rows (25):"
    assert lines[1:3] == ["  line 1: no name", "  line 1: no e-mail"]
    assert lines[-2] == "  line 19: bad date [x]"  # markup in a value is printed as written
    assert lines[-1] == "  … and 6 more bad rows."
    assert len(lines) == 1 + cli.SHOWN_BAD_ROWS + 1


def test_no_bad_rows_print_nothing_and_few_need_no_count():
    assert printed(lambda: cli.print_bad_rows([], 0)) == ""
    assert printed(lambda: cli.print_bad_rows([Bad(3, "x")], 1)).splitlines() == ["Bad rows (1):", "  line 3: x"]
