"""Answer attributes of the Teamleader calls whose API Blueprint sections are not among the
shared spec files, transcribed (field names, types, nullability; no descriptions) in MSON from
teamleadercrm/api: src/01-general/users.apib (users.me), src/01-general/departments.apib
(departments.list, departments.info), src/09-time-tracking/time-tracking.apib
(timeTracking.list) and src/12-nextgen-projects/materials.apib (projects-v2 materials.list).
Address and Telephone are Teamleader data structures not in those files: transcribed as
assumptions (line_1, postal_code, city, country; type, number)."""

from __future__ import annotations

from teamleader_blueprint import NAMED, Node, schema_of

NAMED["Telephone"] = Node("Telephone", "object", children=[
    Node("type", "enum", members=["phone", "mobile", "fax"]), Node("number", "string")])
NAMED["Address"] = Node("Address", "object", children=[
    Node("line_1", "string"), Node("postal_code", "string"), Node("city", "string"),
    Node("country", "string")])

_REFERENCE = """
            + type (string)
            + id (string)"""

TRANSCRIBED = {
    "users.me": schema_of("""
+ data (object)
    + id (string)
    + account (object)
        + type (string)
        + id (string)
    + first_name (string)
    + last_name (string)
    + email (string)
    + telephones (array[Telephone])
    + language (string)
    + function (string)
    + time_zone (string)
    + preferences (object)
        + invoiceable (boolean)
"""),
    "departments.list": schema_of("""
+ data (array)
    + (object)
        + id (string)
        + name (string)
        + vat_number (string)
        + website (string)
        + currency (string)
"""),
    "departments.info": schema_of("""
+ data (object)
    + id (string)
    + name (string)
    + vat_number (string)
    + address (Address)
    + emails (array)
        + (object)
            + type (enum[string])
                + Members
                    + primary
                    + invoicing
            + email (string)
    + telephones (array[Telephone])
    + website (string)
    + currency (string)
    + iban (string)
    + bic (string)
"""),
    "timeTracking.list": schema_of(f"""
+ data (array)
    + (object)
        + id (string)
        + user (object){_REFERENCE}
        + work_type (object){_REFERENCE}
        + started_on (string)
        + started_at (string, nullable)
        + ended_at (string, nullable)
        + duration (number)
        + description (string)
        + subject (object)
            + type (enum)
                + Members
                    + company
                    + contact
                    + event
                    + todo
                    + milestone
                    + ticket
            + id (string)
        + invoiceable (boolean)
        + billing_info (object, nullable)
            + type (enum)
                + Members
                    + invoice
                    + prepaid
            + invoice (object, nullable){_REFERENCE}
        + materials (array, optional)
        + relates_to (array, optional)
            + (object)
                + type (string)
                + id (string)
        + hourly_rate (Money, optional)
"""),
    "projects-v2/materials.list": schema_of(f"""
+ data (array)
    + (object)
        + id (string)
        + project (object){_REFERENCE}
        + group (object, nullable){_REFERENCE}
        + title (string)
        + status (enum[string])
            + Members
                + to_do
                + in_progress
                + on_hold
                + done
        + billing_method (enum[string])
            + Members
                + fixed_price
                + unit_price
                + non_billable
        + billing_status (enum[string])
            + Members
                + not_billable
                + not_billed
                + partially_billed
                + fully_billed
        + quantity (number, nullable)
        + unit_price (Money, nullable)
        + unit_cost (Money, nullable)
        + unit (object, nullable){_REFERENCE}
        + amount_billed (Money, nullable)
        + external_budget (Money, nullable)
        + external_budget_spent (Money, nullable)
        + internal_budget (Money, nullable)
        + price (Money, nullable)
        + fixed_price (Money, nullable)
        + cost (Money, nullable)
        + margin (Money, nullable)
        + margin_percentage (number, nullable)
        + assignees (array)
            + (object)
                + assignee (object){_REFERENCE}
                + assign_type (enum)
        + start_date (string, nullable)
        + end_date (string, nullable)
        + product (object, nullable){_REFERENCE}
"""),
}
