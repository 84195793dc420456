"""Yuki's daily call budget: 1,000 web service calls a day per domain by default (5,000 or 10,000
with Yuki's paid options; API_FACTS.md section 6), shared by every administration of the domain
and every import of the day, Authenticate included. Yuki tells no one how much is left: an
import counts its own calls and stops at its share (spec.CALLS_PER_IMPORT) with an error that
names the entity, what it was about to read and the budget, rather than spend the domain's last
calls; Yuki's own "budget spent" fault is reported the same way and never retried. A call asked
again after a gateway's 502-504 or a 429 (no SOAP fault: the only answers retried) counts once
here; the share leaves room for those."""

from __future__ import annotations

from monitr_pipeline.providers.adapter import ProviderError
from monitr_pipeline.providers.yuki.spec import DAILY_BUDGET, SPEC

_SPENT_WORDS = ("maximum number of", "calls per day")


class CallBudgetSpent(ProviderError):
    """This import may not make another call to Yuki today (its share, or the domain's budget)."""


def budget_fault(reason: str | None) -> bool:
    """Whether Yuki's fault says the domain's daily call budget is spent."""
    text = (reason or "").lower()
    return all(words in text for words in _SPENT_WORDS)


class CallBudget:
    """The calls one import of one administration has made, and may make."""

    def __init__(self, limit: int, entity: str):
        self.limit, self.entity, self.spent = limit, entity, 0

    def spend(self, what: str) -> None:
        if self.spent >= self.limit:
            raise CallBudgetSpent(
                f"{self.entity}: this import has made the {self.limit} {SPEC.name} calls one "
                f"import may make (of the domain's {DAILY_BUDGET:,} a day, shared by its "
                f"administrations) and stopped before {what}; nothing of it was loaded. The "
                f"next import starts again; closed years already read are not read again.",
                status=None, reason=f"call budget of {self.limit} per import spent")
        self.spent += 1

    def domain_spent(self, what: str, reason: str) -> CallBudgetSpent:
        return CallBudgetSpent(
            f"{self.entity}: {SPEC.name}'s daily call budget for this domain is spent ({reason}) "
            f"after {self.spent} calls of this import, at {what}; nothing of this import was "
            f"loaded. Imports resume when Yuki resets the budget (the next day), or raise it "
            f"with Yuki's 'Yuki Webservice' option.",
            status=None, reason=reason)
