"""How the build stops for a mistake an author or a site owner can fix."""

import contextlib
import logging

logger = logging.getLogger(__name__)

# A log record with this attribute is a ``path:line: problem — fix`` line,
# printed as it is (tools.build prints other messages with their level).
PLAIN = {"plain_problem": True}


class BuildStop(SystemExit):
    """Problems were found and logged, one line each; the run ends with status 1.

    A ``SystemExit`` rather than an ``Exception``: Pelican's ``main()`` logs an
    exception with its traceback, while a ``SystemExit`` ends the run with the
    messages already logged and nothing more, so even a bare ``pelican`` run
    shows only the lines that say what to fix.
    """

    def __init__(self, problems, what="problem"):
        self.problems = list(problems)
        self.what = what
        super().__init__(1)

    def __str__(self):
        count = len(self.problems)
        return f"{count} {self.what}{'s' if count != 1 else ''}"


def report(problems):
    """Log each problem as an error line of its own."""
    for problem in problems:
        # `pelican --fatal errors` raises after logging each error; the
        # message is out, and the author gets the rest of them too.
        with contextlib.suppress(RuntimeError):
            logger.error("%s", problem, extra=PLAIN)


def stop(problems, what="problem"):
    """Log every problem, then end the build."""
    report(problems)
    raise BuildStop(problems, what)
