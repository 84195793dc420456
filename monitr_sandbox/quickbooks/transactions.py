"""Which QuickBooks transaction books each ledger entry, and the objects for those that are neither
invoices, bills nor journal entries (field names from python-quickbooks' objects and Intuit's
entity reference: Payment, BillPayment, CreditMemo, Purchase, Transfer, Deposit).

The sandbox ledger's documents suggest the types: a sales invoice is an Invoice, its credit note a
CreditMemo, a purchase invoice a Bill; a bank entry settling a customer's invoice is a Payment, one
settling a supplier's a BillPayment (paid by check); a bank entry moving money to or from one
balance-sheet account (net wages, wage taxes, VAT) is a Transfer; other money out of the bank
(bank charges, loan instalments) a Purchase paid in cash ("Expense"), other money in a Deposit.
Opening balances, payroll, VAT returns and depreciation stay memorial JournalEntries.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from monitr_sandbox.ledger import Chart, Entry, Line
from monitr_sandbox.quickbooks.objects import QboMapper, amount, base_fields, ref

_BY_ENTRY_TYPE = {"sales": "Invoice", "sales_credit": "CreditMemo", "purchase": "Bill"}
# How reports name each type (a Purchase by its PaymentType, a BillPayment by its PayType).
DISPLAY_NAMES = {
    "Invoice": "Invoice", "CreditMemo": "Credit Memo", "SalesReceipt": "Sales Receipt",
    "RefundReceipt": "Refund", "Payment": "Payment", "Deposit": "Deposit", "Bill": "Bill",
    "VendorCredit": "Vendor Credit", "BillPayment": "Bill Payment (Check)", "Purchase": "Expense",
    "Transfer": "Transfer", "JournalEntry": "Journal Entry",
}
# Entities whose objects post to the ledger, including those the sandbox company never uses.
TRANSACTION_ENTITIES = frozenset(DISPLAY_NAMES)
# Types whose customer or vendor a report names on every line, not only on the control line.
PARTY_TYPES = frozenset({"Invoice", "CreditMemo", "Bill", "Payment", "BillPayment"})


def transaction_entity(entry: Entry, chart: Chart) -> str:
    if entry.entry_type in _BY_ENTRY_TYPE:
        return _BY_ENTRY_TYPE[entry.entry_type]
    if entry.entry_type != "bank":
        return "JournalEntry"
    settled = next((line.open_item for line in entry.lines if line.open_item), None)
    if settled is not None:
        return "Payment" if settled.relation.kind == "customer" else "BillPayment"
    bank = chart.account("bank").code
    others = [chart.by_code[line.account_code] for line in entry.lines if line.account_code != bank]
    if len(others) == 1 and others[0].balance_type == "B":
        return "Transfer"
    money_in = sum((line.amount for line in entry.lines if line.account_code == bank), Decimal(0))
    return "Deposit" if money_in > 0 else "Purchase"


def doc_number(entry: Entry, entity: str) -> str:
    """DocNumber as the object carries it (and reports show as Num): the supplier's reference on
    a bill, the entry number on invoices, credit memos and journal entries, none on payments."""
    if entity == "Bill":
        return entry.your_ref or str(entry.entry_number)
    return str(entry.entry_number) if entity in ("Invoice", "CreditMemo", "JournalEntry") else ""


class TransactionMapper:
    """Builds Payment, BillPayment, CreditMemo, Purchase, Transfer and Deposit objects."""

    def __init__(self, mapper: QboMapper):
        self.mapper = mapper
        self.chart = mapper.ledger.chart
        self.bank = self.chart.account("bank").code
        self.builders: dict[str, Callable[[Entry], dict]] = {
            "Payment": self.payment, "BillPayment": self.bill_payment,
            "CreditMemo": self.credit_memo, "Purchase": self.purchase, "Transfer": self.transfer,
            "Deposit": self.deposit,
        }

    def _account(self, code: str) -> dict:
        return ref(self.mapper.account_ids[code], self.chart.by_code[code].name)

    def _header(self, entry: Entry, entity: str) -> dict:
        fields = {**base_fields(str(entry.entry_number), self.mapper.stamp(entry.entry_number)),
                  "TxnDate": entry.date.isoformat(), "CurrencyRef": self.mapper.currency,
                  "PrivateNote": entry.description}
        number = doc_number(entry, entity)
        return {**fields, "DocNumber": number} if number else fields

    def _bank_amount(self, entry: Entry) -> Decimal:
        return sum((line.amount for line in entry.lines if line.account_code == self.bank),
                   Decimal(0))

    def _settled(self, entry: Entry) -> Line:
        return next(line for line in entry.lines if line.open_item)

    def payment(self, entry: Entry) -> dict:
        """Money received for an invoice, into the bank."""
        control, total = self._settled(entry), amount(self._bank_amount(entry))
        relation = control.open_item.relation
        return {**self._header(entry, "Payment"), "CustomerRef": ref(relation.code, relation.name),
                "DepositToAccountRef": self._account(self.bank), "TotalAmt": total,
                "UnappliedAmt": 0, "ProcessPayment": False,
                "Line": [{"Amount": total, "LinkedTxn": [
                    {"TxnId": str(control.open_item.invoice_number), "TxnType": "Invoice"}]}]}

    def bill_payment(self, entry: Entry) -> dict:
        """A bill paid by check from the bank."""
        control, total = self._settled(entry), amount(-self._bank_amount(entry))
        relation = control.open_item.relation
        return {**self._header(entry, "BillPayment"), "VendorRef": ref(relation.code, relation.name),
                "PayType": "Check", "TotalAmt": total,
                "CheckPayment": {"BankAccountRef": self._account(self.bank), "PrintStatus": "NotSet"},
                "Line": [{"Amount": total, "LinkedTxn": [
                    {"TxnId": str(control.open_item.invoice_number), "TxnType": "Bill"}]}]}

    def credit_memo(self, entry: Entry) -> dict:
        """A credit note, applied in full to the invoice it credits (RemainingCredit 0)."""
        control = entry.lines[0]
        relation, total = entry.relation, amount(abs(control.amount))
        net_lines = [line for line in entry.lines if line.vat_amount is not None]
        return {**self._header(entry, "CreditMemo"), "CustomerRef": ref(relation.code, relation.name),
                "TotalAmt": total, "Balance": 0, "RemainingCredit": 0,
                "Line": [self.mapper.document_line(number, line)
                         for number, line in enumerate(net_lines, 1)]}

    def purchase(self, entry: Entry) -> dict:
        """Money out of the bank for costs or a loan: one expense line per other ledger line."""
        lines = [line for line in entry.lines if line.account_code != self.bank]
        return {**self._header(entry, "Purchase"), "PaymentType": "Cash",
                "AccountRef": self._account(self.bank), "TotalAmt": amount(-self._bank_amount(entry)),
                "Line": [self._expense_line(number, line) for number, line in enumerate(lines, 1)]}

    def _expense_line(self, number: int, line: Line) -> dict:
        detail: dict = {"AccountRef": self._account(line.account_code), "BillableStatus": "NotBillable"}
        if line.cost_centre:
            detail["ClassRef"] = ref(self.mapper.class_ids[line.cost_centre],
                                     self.mapper.ledger.cost_centre(line.cost_centre).name)
        return {"Id": str(number), "LineNum": number, "Description": line.description,
                "Amount": amount(line.amount), "DetailType": "AccountBasedExpenseLineDetail",
                "AccountBasedExpenseLineDetail": detail}

    def transfer(self, entry: Entry) -> dict:
        """Money moved from the credited account to the debited one."""
        debit = next(line for line in entry.lines if line.amount > 0)
        credit = next(line for line in entry.lines if line.amount < 0)
        return {**self._header(entry, "Transfer"), "FromAccountRef": self._account(credit.account_code),
                "ToAccountRef": self._account(debit.account_code), "Amount": amount(debit.amount)}

    def deposit(self, entry: Entry) -> dict:
        """Money into the bank from other accounts."""
        lines = [line for line in entry.lines if line.account_code != self.bank]
        return {**self._header(entry, "Deposit"), "DepositToAccountRef": self._account(self.bank),
                "TotalAmt": amount(self._bank_amount(entry)),
                "Line": [{"Id": str(number), "LineNum": number, "Amount": amount(-line.amount),
                          "DetailType": "DepositLineDetail",
                          "DepositLineDetail": {"AccountRef": self._account(line.account_code)}}
                         for number, line in enumerate(lines, 1)]}
