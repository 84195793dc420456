"""Exact rows of a division's project registrations and the budget fields of its projects.

Field names: Pi-Systems/exact-online src/Entity/Sync/Project/TimeCostTransactions.php,
src/Entity/Project/TimeTransactions.php, CostTransactions.php and Sync/Project/Projects.php (from
Exact's reference pages SyncProjectTimeCostTransactions, ProjectTimeTransactions,
ProjectCostTransactions, SyncProjectProjects). Values stay Python-typed; odata.to_json renders them.
"""

from __future__ import annotations

from decimal import Decimal

from monitr_sandbox.exact_online.data import SANDBOX_FULL_NAME, SANDBOX_USER_ID, Stamp
from monitr_sandbox.exact_online.environments import Division
from monitr_sandbox.exact_online.projects import HOUR_STATUS_FINAL, Budget, Registration, registered_at
from monitr_sandbox.ledger import Ledger

# What a sales budget adds to the cost budget in the sandbox (BudgetedAmount, BudgetedRevenue).
_SALES_MARKUP = Decimal("1.25")


def time_cost_transaction(ledger: Ledger, division: Division, registration: Registration,
                          stamp: Stamp) -> dict:
    """One row of sync/Project/TimeCostTransactions (also the source of the standard
    project/TimeTransactions and project/CostTransactions rows, which pick their own fields)."""
    project = ledger.project(registration.project_code)
    employee = registration.employee
    created = registered_at(registration)
    amount = registration.amount
    return {
        "ID": registration.id, "Timestamp": stamp.timestamp, "Type": registration.kind,
        "Account": None, "AccountName": None, "Activity": None, "ActivityDescription": None,
        "Amount": amount, "AmountFC": amount, "Attachment": None, "Created": created,
        "Creator": SANDBOX_USER_ID, "CreatorFullName": SANDBOX_FULL_NAME,
        "Currency": ledger.profile.currency, "CustomField": None,
        "Date": registration.date, "Division": division.code,
        "DivisionDescription": division.name, "Employee": employee.id if employee else None,
        "EndTime": None, "EntryNumber": registration.entry_number, "ErrorText": None,
        "Expense": None, "ExpenseDescription": None, "HourStatus": HOUR_STATUS_FINAL,
        "Item": registration.item.id, "ItemDescription": registration.item.description,
        "ItemDivisable": True, "Modified": stamp.modified, "Modifier": SANDBOX_USER_ID,
        "ModifierFullName": SANDBOX_FULL_NAME, "Notes": registration.notes,
        "Price": registration.price, "PriceFC": registration.price, "Project": project.id,
        "ProjectAccount": None, "ProjectAccountCode": None, "ProjectAccountName": None,
        "ProjectCode": project.code, "ProjectDescription": project.name,
        "Quantity": registration.quantity, "SkipValidation": False,
        "StartTime": None, "Subscription": None, "SubscriptionAccount": None,
        "SubscriptionAccountCode": None, "SubscriptionAccountName": None,
        "SubscriptionDescription": None, "SubscriptionNumber": None,
        "WBS": None, "WBSDescription": None,
    }


def budget_fields(budget: Budget) -> dict:
    """The budget fields of a sync/Project/Projects row (0 where no budget is set)."""
    sales = (budget.costs * _SALES_MARKUP).quantize(Decimal("0.01"))
    return {"SalesTimeQuantity": budget.hours, "BudgetedCosts": budget.costs,
            "BudgetedAmount": sales, "BudgetedRevenue": sales}
