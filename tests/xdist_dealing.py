"""pytest-xdist's load scheduling, with the first tests dealt out one at a time in turn.

xdist hands each worker a block of consecutive tests to begin with. The slow tests come first
(tests/conftest.py sorts them there), so the first block held all of them: one worker ran every real-process
test in a row while the other finished early and waited. Dealing the opening tests like cards gives each
worker its share of the slow ones; the rest is scheduled as xdist always does.
"""

from __future__ import annotations

import itertools

from xdist.scheduler import LoadScheduling


class DealtLoadScheduling(LoadScheduling):
    """`--dist load`, except that the opening blocks are dealt round-robin rather than cut in one piece."""

    def schedule(self) -> None:
        if self.collection is not None or len(self.nodes) < 2 or not self._check_nodes_have_same_collection():
            super().schedule()  # a later call, a single worker, or collections that differ (it reports them)
            return
        self.collection = next(iter(self.node2collection.values()))
        self.pending[:] = range(len(self.collection))
        if self.maxschedchunk is None:
            self.maxschedchunk = len(self.collection)
        # the size of xdist's own opening block per worker, dealt one test at a time
        per_node = max(min(len(self.collection) // len(self.nodes) // 4, self.maxschedchunk), 2)
        workers = itertools.cycle(self.nodes)
        for _ in range(min(per_node * len(self.nodes), len(self.pending))):
            self._send_tests(next(workers), 1)
        if not self.pending:
            for node in self.nodes:
                node.shutdown()
