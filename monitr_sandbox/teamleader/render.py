"""The account's records as Teamleader's answers write them (the Blueprint's response
attributes: Money as {amount, currency}, references as {type, id}, dates as YYYY-MM-DD and
moments as ISO 8601 with an offset)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from monitr_sandbox.teamleader.account import Department, Phase, Pipeline, sandbox_id
from monitr_sandbox.teamleader.book import (
    CENT,
    Deal,
    Material,
    Project,
    Subscription,
    TimeEntry,
    iso,
)

WEB = "https://focus.teamleader.eu"


def money(amount: Decimal | None, currency: str = "EUR") -> dict[str, Any] | None:
    return None if amount is None else {"amount": float(amount.quantize(CENT)),
                                        "currency": currency}


def ref(kind: str, id_: str | None) -> dict[str, str] | None:
    return None if id_ is None else {"type": kind, "id": id_}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def department(d: Department) -> dict[str, Any]:
    return {"id": d.id, "name": d.name, "vat_number": d.vat_number,
            "website": f"https://www.{d.name.split()[1].lower()}.be", "currency": d.currency}


def department_info(d: Department) -> dict[str, Any]:
    """departments.info: the list's fields and the department's address and contact details."""
    town = d.name.split()[1]
    return {"id": d.id, "name": d.name, "vat_number": d.vat_number,
            "address": {"line_1": f"Grote Markt {len(town)}", "postal_code": "2000",
                        "city": "Antwerpen", "country": "BE"},
            "emails": [{"type": "primary", "email": f"info@{town.lower()}.be"}],
            "telephones": [{"type": "phone", "number": "032345678"}],
            "website": f"https://www.{town.lower()}.be", "currency": d.currency,
            "iban": "BE68539007547034", "bic": "GKCCBEBB"}


def pipeline(p: Pipeline) -> dict[str, Any]:
    return {"id": p.id, "name": p.name}


def phase(p: Phase) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "actions": [],
            "requires_attention_after": {"amount": 7, "unit": "days"},
            "probability": float(p.probability)}


def deal(d: Deal) -> dict[str, Any]:
    return {
        "id": d.id, "title": d.title, "summary": None, "reference": d.reference,
        "status": d.status,
        "lead": {"customer": ref("company", d.customer),
                 "contact_person": ref("contact", sandbox_id("contact", d.customer))},
        "department": ref("department", d.department),
        "estimated_value": money(d.amount, d.currency),
        "estimated_closing_date": d.closing_date.isoformat(),
        "estimated_probability": float(d.probability),
        "weighted_value": money((d.amount * d.probability).quantize(CENT), d.currency),
        "purchase_order_number": None,
        "current_phase": ref("dealPhase", d.phase),
        "responsible_user": ref("user", d.user),
        "closed_at": iso(d.closed_at) if d.closed_at else None,
        "source": ref("dealSource", "9f1d0c2e-6b1a-4c4e-8a55-3e0b7a1d2c11"),
        "lost_reason": None,
        "created_at": iso(d.created_at), "updated_at": iso(d.updated_at),
        "web_url": f"{WEB}/sale_detail.php?id={d.id}",
        "currency_exchange_rate": {"from": d.currency, "to": d.currency, "rate": 1.0},
        "pipeline": ref("dealPipeline", d.pipeline),
    }


def subscription(s: Subscription) -> dict[str, Any]:
    tax = (s.amount * Decimal("0.21")).quantize(CENT)
    return {
        "id": s.id, "title": s.title, "note": None, "status": s.status,
        "department": ref("department", s.department),
        "invoicee": {"customer": ref("company", s.customer), "for_attention_of": None},
        "project": None,
        "starts_on": s.starts_on.isoformat(), "ends_on": _day(s.ends_on),
        "next_renewal_date": None,
        "billing_cycle": {"periodicity": {"unit": s.unit, "period": s.period},
                          "days_in_advance": 0},
        "total": {"tax_exclusive": money(s.amount, s.currency),
                  "tax_inclusive": money(s.amount + tax, s.currency),
                  "taxes": [{"rate": 0.21, "taxable": money(s.amount, s.currency),
                             "tax": money(tax, s.currency)}]},
        "web_url": f"{WEB}/subscription_detail.php?id={s.id}",
    }


def project(p: Project, tracked_seconds: int, cost: Decimal) -> dict[str, Any]:
    seconds = {"unit": "seconds"}
    price = (Decimal(tracked_seconds) / 3600 * p.hourly_rate).quantize(CENT)
    return {
        "id": p.id, "project_key": p.key, "title": p.title, "description": None,
        "status": p.status, "billing_method": "time_and_materials",
        "time_budget": {"value": p.time_budget_seconds, **seconds}
        if p.time_budget_seconds else None,
        "time_estimated": None,
        "time_tracked": {"value": tracked_seconds, **seconds},
        "amount_billed": money(Decimal(0)), "amount_unbilled": money(price),
        "fixed_amount_billed": None, "amount_paid": money(Decimal(0)),
        "external_budget": money(p.external_budget), "external_budget_spent": money(price),
        "internal_budget": money(p.internal_budget), "price": money(price), "fixed_price": None,
        "calculated_price": money(price), "cost": money(cost), "margin": money(price - cost),
        "margin_percentage": float(((price - cost) / price * 100).quantize(CENT))
        if price else None,
        "start_date": p.start_date.isoformat(), "end_date": _day(p.end_date),
        "company_entity": ref("department", p.department),
        "owners": [ref("user", "0b7e6a61-0a8e-5f43-9a43-0e2d1c6f9d01")],
        "color": "#00B2B2", "assignees": [], "customers": [ref("company", p.customer)],
        "deals": [], "quotations": [],
    }


def time_entry(e: TimeEntry, customer: str, with_relates_to: bool) -> dict[str, Any]:
    answer = {
        "id": e.id, "user": ref("user", e.user),
        "work_type": ref("workType", "2d1f7c3a-5e4b-4a6c-9d8e-1f0a2b3c4d5e"),
        "started_on": e.started_on.isoformat(), "started_at": iso(e.started_at),
        "ended_at": iso(e.started_at + timedelta(seconds=e.duration)),
        "duration": e.duration, "description": e.description,
        "subject": ref("company", customer), "invoiceable": e.invoiceable,
        "billing_info": None, "hourly_rate": money(e.hourly_rate, e.currency),
    }
    if with_relates_to:
        answer["relates_to"] = [ref("company", customer), ref("project", e.project)]
    return answer


def material(m: Material) -> dict[str, Any]:
    cost = (m.quantity * m.unit_cost).quantize(CENT)
    price = (m.quantity * m.unit_price).quantize(CENT)
    return {
        "id": m.id, "project": ref("nextgenProject", m.project), "group": None,
        "title": m.title, "status": m.status, "billing_method": "unit_price",
        "billing_status": "not_billed", "quantity": float(m.quantity),
        "unit_price": money(m.unit_price), "unit_cost": money(m.unit_cost), "unit": None,
        "amount_billed": money(Decimal(0)), "external_budget": None,
        "external_budget_spent": money(price), "internal_budget": None, "price": money(price),
        "fixed_price": None, "cost": money(cost), "margin": money(price - cost),
        "margin_percentage": float(((price - cost) / price * 100).quantize(CENT)),
        "assignees": [], "start_date": m.start_date.isoformat(),
        "end_date": m.start_date.isoformat(), "product": None,
    }
