"""Read the next page while the engine types and writes this one.

An import waits on the provider for every page: its server builds and sends the page while the
importing process does nothing. Asking for the next page as soon as this one has arrived, in a
thread of its own, lets that wait overlap with this page's typing and dlt's writing (the socket
wait releases the GIL). It asks for nothing more than paging one after another would: the next
request is the one the paginator has already derived from this page's answer, and when the
engine stops early (an error, an unreadable endpoint) no further page is asked for.

At most `depth` pages wait in the queue besides the one being processed, so memory stays flat.
"""

from __future__ import annotations

import contextvars
import queue
import re
import threading
from collections.abc import Iterator
from typing import TypeVar

Page = TypeVar("Page")

_PAGE, _END, _ERROR = "page", "end", "error"
# How often a producer blocked on a full queue looks whether the consumer has gone away.
_STOP_POLL_SECONDS = 0.1


def read_ahead(pages: Iterator[Page], depth: int = 1) -> Iterator[Page]:
    """The same pages in the same order, with errors raised where paging would have raised them;
    the source iterator runs (and is closed) in a reader thread, one page ahead of the caller."""
    handoff: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
    stopped = threading.Event()

    def hand_over(kind: str, value: object) -> bool:
        while not stopped.is_set():
            try:
                handoff.put((kind, value), timeout=_STOP_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for page in pages:
                if not hand_over(_PAGE, page):
                    return
            hand_over(_END, None)
        except BaseException as error:  # noqa: BLE001 - handed to the consumer, raised there
            hand_over(_ERROR, error)
        finally:
            close = getattr(pages, "close", None)
            if close is not None:
                close()

    # The caller's context variables too: dlt tells a resource's code which resource it runs in
    # through one (dlt.current.resource_state() in a provider's reader needs it).
    reader = threading.Thread(target=contextvars.copy_context().run, args=(produce,),
                              name=_reader_thread_name(), daemon=True)
    reader.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == _END:
                return
            if kind == _ERROR:
                raise value  # type: ignore[misc]
            yield value  # type: ignore[misc]
    finally:
        # The reader finishes the request it is in (if any) and asks for nothing more; waiting
        # for it means no request of this endpoint outlives the endpoint's read.
        stopped.set()
        reader.join()


def _reader_thread_name() -> str:
    # dlt keeps configuration and pipeline contexts per thread; a thread named as one of its
    # pools ("dlt-pool-<owner thread id>-...") sees its owner's contexts, as the paging code
    # expects when it runs in the caller's thread.
    current = threading.current_thread()
    owner = re.match(r"dlt-pool-(\d+)-", current.name)
    return f"dlt-pool-{owner.group(1) if owner else threading.get_ident()}-read-ahead"
