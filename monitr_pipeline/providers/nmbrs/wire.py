"""Nmbrs' history lists made flat rows: each answer row is one employee with a list of its
history records ({employeeId, salaries: [...]}); the table holds one row per record.

Errors here name what is wrong, never a value: these lists hold salaries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


def history(resource: str) -> Callable[[Iterable[Any]], list[dict[str, Any]]]:
    """One row per record of `resource`, with its employee's id beside it."""

    def rows(employees: Iterable[Any]) -> list[dict[str, Any]]:
        flat = []
        for employee in employees:
            if not isinstance(employee, Mapping) or not isinstance(employee.get(resource), list):
                raise ValueError(f"an employee's {resource} is not a list")
            for record in employee[resource]:
                if not isinstance(record, Mapping):
                    raise ValueError(f"a record of an employee's {resource} is not an object")
                flat.append({**record, "employeeId": employee.get("employeeId")})
        return flat

    return rows


def department_rows(employees: Iterable[Any]) -> list[dict[str, Any]]:
    """Departments over time: a record has no id of its own (assumed), so it is keyed by its
    employee and the period it applies from (one department per employee and period)."""
    rows = history("departments")(employees)
    for row in rows:
        period = row.get("period")
        if not isinstance(period, Mapping):
            raise ValueError("a department record has no period {year, period}")
        row["departmentRecordKey"] = (f"{row.get('employeeId')}:{period.get('year')}-"
                                      f"{period.get('period')}")
    return rows
