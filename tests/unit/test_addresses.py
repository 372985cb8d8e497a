"""Reading a pasted list of email addresses, one a line (lms/cohorts/addresses.py)."""

from lms.cohorts.addresses import read_addresses

# Also sent through the admin's page, in tests/web/test_add_many.py.
LIST = """
learner@example.org
  Fay Facilitator <FACILITATOR@example.org>;
not an address
newcomer@example.org,
learner@example.org

someone@nowhere
already@example.org
"""


def test_a_pasted_list_is_read_line_by_line():
    read = read_addresses(LIST + "\n" + "x@y@z\n<two@example.org> <addresses@example.org>\n")
    assert read.emails == (
        "learner@example.org",
        "facilitator@example.org",
        "newcomer@example.org",
        "already@example.org",
    )
    assert read.bad == ((4, "not an address"), (8, "someone@nowhere"), (11, "x@y@z"), (12, read.bad[-1][1]))
    assert read.lines == 9


def test_blank_input_has_no_lines():
    assert read_addresses(" \n\n\t\n") == read_addresses("")
    assert read_addresses("").lines == 0
