"""Business documents as balanced entries: invoices, credit notes, settlements. Shared by the
generator and the day mutations so both book exactly the same shapes."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from monitr_sandbox.ledger.booking import ZERO, Posting, book, money
from monitr_sandbox.ledger.model import Entry, Ledger, OpenItemRef, Relation
from monitr_sandbox.ledger.names import OVERHEAD_CENTRE, SALES_CENTRE


def _split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """Split an amount into `parts` positive amounts that add up to it exactly."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    amounts = [money(total * Decimal(str(w / sum(weights)))) for w in weights[:-1]]
    return [*amounts, total - sum(amounts, ZERO)]


def _centres(ledger: Ledger, excluded: str) -> list[str]:
    """Revenue never lands on overheads; purchases never on the sales centre."""
    return [c.code for c in ledger.cost_centres if c.code != excluded]


def _vat_postings(ledger: Ledger, category: str, sign: int,
                  vat_by_code: dict[str, Decimal]) -> list[Posting]:
    account = ledger.chart.account(category).code
    return [Posting(account, sign * amount, vat_code=code)
            for code, amount in sorted(vat_by_code.items()) if amount]


def _project_for(ledger: Ledger, rng: random.Random, on: date) -> str | None:
    active = [p for p in ledger.projects if p.active_on(on)]
    return rng.choice(active).code if active and rng.random() < 0.25 else None


def sales_invoice(ledger: Ledger, rng: random.Random, on: date, customer: Relation) -> Entry:
    """Control line first (Exact's line 0 of a sales entry), revenue lines, then VAT per code."""
    chart, profile = ledger.chart, ledger.profile
    net_total = money(profile.avg_sales_amount * rng.uniform(0.4, 1.6))
    revenue, vat_by_code = [], {}
    for net in _split(rng, net_total, rng.choice((1, 1, 2, 2, 3))):
        account = chart.account(rng.choice(profile.revenue_categories))
        vat = chart.vat_code("sales", account.vat_level)
        vat_amount = money(net * vat.rate)
        vat_by_code[vat.code] = vat_by_code.get(vat.code, ZERO) + vat_amount
        unit = rng.choice(ledger.cost_units)
        revenue.append(Posting(
            account.code, -net, description=f"{account.name} - {unit.name}", vat_code=vat.code,
            vat_amount=-vat_amount, cost_centre=rng.choice(_centres(ledger, OVERHEAD_CENTRE)),
            cost_unit=unit.code, project_code=_project_for(ledger, rng, on),
        ))
    gross = net_total + sum(vat_by_code.values(), ZERO)
    control = Posting(chart.account("receivables").code, gross, opens_item=True)
    return book(ledger, entry_type="sales", on=on, description=f"Verkoopfactuur {customer.name}",
                postings=[control, *revenue, *_vat_postings(ledger, "vat_payable", -1, vat_by_code)],
                relation=customer, own_invoice=True,
                due_date=on + timedelta(days=customer.payment_days))


def sales_credit_note(ledger: Ledger, rng: random.Random, on: date, invoice: Entry) -> Entry:
    """Credits part of the invoice's first revenue line; settles against the invoice's open item."""
    chart = ledger.chart
    line = invoice.lines[1]
    net = money(-line.amount * Decimal(str(rng.uniform(0.2, 0.8))))
    vat = chart.vat_by_code(line.vat_code)
    vat_amount = money(net * vat.rate)
    postings = [
        Posting(chart.account("receivables").code, -(net + vat_amount),
                open_item=invoice.lines[0].open_item),
        Posting(line.account_code, net, description=f"Creditering {line.description}",
                vat_code=vat.code, vat_amount=vat_amount, cost_centre=line.cost_centre,
                cost_unit=line.cost_unit, project_code=line.project_code),
        *_vat_postings(ledger, "vat_payable", 1, {vat.code: vat_amount}),
    ]
    return book(ledger, entry_type="sales_credit", on=on,
                description=f"Creditnota op factuur {invoice.invoice_number}", postings=postings,
                relation=invoice.relation, own_invoice=True, due_date=on)


def purchase_invoice(ledger: Ledger, rng: random.Random, on: date, supplier: Relation,
                     category: str, net_total: Decimal, *, asset_code: str | None = None,
                     account_code: str | None = None) -> Entry:
    """Control line first, cost (or asset) lines, then the recoverable VAT."""
    chart = ledger.chart
    account = chart.by_code[account_code] if account_code else chart.account(category)
    vat = chart.vat_code("purchase", account.vat_level or "high")
    costs, vat_total = [], ZERO
    parts = 1 if asset_code else rng.choice((1, 1, 2))
    for net in _split(rng, net_total, parts):
        vat_amount = money(net * vat.rate)
        vat_total += vat_amount
        costs.append(Posting(
            account.code, net, description=f"{account.name} {supplier.name}", vat_code=vat.code,
            vat_amount=vat_amount, asset_code=asset_code,
            cost_centre=None if asset_code else rng.choice(_centres(ledger, SALES_CENTRE)),
        ))
    control = Posting(chart.account("payables").code, -(net_total + vat_total), opens_item=True)
    vat_lines = _vat_postings(ledger, "vat_recoverable", 1, {vat.code: vat_total})
    return book(ledger, entry_type="purchase", on=on, description=f"Inkoopfactuur {supplier.name}",
                postings=[control, *costs, *vat_lines], relation=supplier, own_invoice=True,
                due_date=on + timedelta(days=supplier.payment_days),
                your_ref=f"{supplier.code}-{on.year}-{rng.randint(1000, 9999)}")


def settlement(ledger: Ledger, on: date, ref: OpenItemRef, amount: Decimal) -> Entry:
    """A bank entry paying (customer: receiving) `amount` of an open item; amount is positive."""
    chart = ledger.chart
    receivable = ref.relation.kind == "customer"
    control = chart.account("receivables" if receivable else "payables").code
    sign = 1 if receivable else -1  # money in for a receivable, out for a payable
    verb = "Ontvangst" if receivable else "Betaling"
    return book(ledger, entry_type="bank", on=on,
                description=f"{verb} factuur {ref.invoice_number} {ref.relation.name}",
                postings=[Posting(chart.account("bank").code, sign * amount),
                          Posting(control, -sign * amount, open_item=ref)],
                relation=ref.relation, invoice_number=ref.invoice_number)
