"""How far a run is: input files done, failed and remaining, and pages per second (``run``'s ``status`` callback)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class RunProgress:
    total: int  # input files
    done: int = 0  # input files finished, failed ones included
    failed: int = 0  # input files with at least one failures.csv row
    documents: int = 0
    pages: int = 0  # PDF pages; a document of another kind counts as one page
    started: float = field(default_factory=time.monotonic)
    _failing: bool = field(default=False, repr=False)

    def count(self, item: dict) -> None:
        """One rendered result of the current file (``docresult.render``)."""
        if "stage" in item:
            self._failing = True
            return
        self.documents += 1
        self.pages += int(item["document"]["pages"] or 1)

    def file_done(self) -> None:
        self.done += 1
        self.failed += self._failing
        self._failing = False

    @property
    def remaining(self) -> int:
        return self.total - self.done

    @property
    def pages_per_second(self) -> float:
        return self.pages / max(time.monotonic() - self.started, 1e-9)

    def describe(self) -> str:
        return (f"{self.done - self.failed} done, {self.failed} failed, {self.remaining} remaining; "
                f"{self.pages_per_second:.1f} pages/s")
